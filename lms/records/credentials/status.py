"""A status list as the signed ``BitstringStatusListCredential`` verifiers fetch."""

from .. import status_lists
from ..models_status import CredentialStatusList
from .keys import issuer_url
from .proof import iso_datetime
from .signing import sign_as

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"


def status_list_credential(status_list: CredentialStatusList) -> dict:
    """Signed by the list's issuer; ``validFrom`` and the proof's time are the list's last
    change, so the same statuses always give the same bytes."""
    url = status_lists.list_url(status_list)
    changed = iso_datetime(status_list.changed_at)
    document = {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_url(status_list.organization),
        "validFrom": changed,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": status_list.purpose,
            "encodedList": status_lists.encoded_list(status_list),
        },
    }
    return sign_as(document, organization=status_list.organization, created=changed)
