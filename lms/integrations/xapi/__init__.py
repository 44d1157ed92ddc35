"""xAPI: a learner's watching, post-test attempts and completions, as statements sent to the
learning record store (LRS) each association configures, for learners who consent to it.

``statements`` builds them (one module, stable ids), ``services`` queues them in the
database (one ``XapiStatement`` row per statement per store) and sends them in batches,
``tasks`` runs the sending after commit and from the integrations' minute sweep."""
