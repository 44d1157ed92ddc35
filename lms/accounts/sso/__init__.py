"""One account, signed in everywhere: the platform host is an OpenID Connect provider
(allauth.idp.oidc) and every association site is one of its clients (allauth.socialaccount's
``openid_connect`` provider, one client registration per site, see ``clients``).

A host with a client registration is an association host: its sign-in sends the browser to
the platform's authorize endpoint and back (``views``), an anonymous first visit tries one
silent ``prompt=none`` round trip per browser session (``middleware``), and its account
pages are the platform's. Every other host is the platform. Signing out anywhere signs out
everywhere: the user's session epoch is part of the session hash (``lms.accounts.models``).
"""
