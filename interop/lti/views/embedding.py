"""Pages a platform shows in its frame: no X-Frame-Options, and the platforms' origins
(``ATTUNE_LTI_FRAME_ANCESTORS``) added to the content security policy's frame-ancestors."""

from csp.decorators import csp_update
from django.conf import settings
from django.views.decorators.clickjacking import xframe_options_exempt


def embeddable(view):
    view = xframe_options_exempt(view)
    ancestors = list(settings.ATTUNE_LTI_FRAME_ANCESTORS)
    if ancestors:
        view = csp_update({"frame-ancestors": ancestors})(view)
    return view
