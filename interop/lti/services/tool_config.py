"""django-lti's tool configuration, stricter: only registrations connected to an
organization count, and only deployments an admin entered and left active. (django-lti's own
adds a deployment it has never seen, switched off; a launch from it is simply refused.)"""

from lti_tool.models import LtiDeployment, LtiRegistration
from lti_tool.utils import DjangoToolConfig, _prepare_deployment


class AttuneToolConfig(DjangoToolConfig):
    def _registrations(self):
        return LtiRegistration.objects.active().filter(attune_connection__isnull=False)

    def find_registration_by_issuer(self, iss, *args, **kwargs):
        try:
            self.registration = self._registrations().get(uuid=self.registration_uuid, issuer=iss)
        except LtiRegistration.DoesNotExist:
            return None
        return self.registration.to_registration()

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        lookups = {"issuer": iss, "client_id": client_id}
        if self.registration_uuid is not None:
            lookups["uuid"] = self.registration_uuid
        try:
            self.registration = self._registrations().get(**lookups)
        except (LtiRegistration.DoesNotExist, ValueError):
            return None
        return self.registration.to_registration()

    def find_deployment(self, iss, deployment_id):
        return self._deployment(
            registration__issuer=iss,
            registration__uuid=self.registration_uuid,
            deployment_id=deployment_id,
        )

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        lookups = {
            "registration__issuer": iss,
            "registration__client_id": client_id,
            "deployment_id": deployment_id,
        }
        if self.registration_uuid is not None:
            lookups["registration__uuid"] = self.registration_uuid
        return self._deployment(**lookups)

    def _deployment(self, **lookups):
        try:
            self.deployment = LtiDeployment.objects.get(
                is_active=True, registration__is_active=True, **lookups
            )
        except LtiDeployment.DoesNotExist:
            return None
        return _prepare_deployment(self.deployment)
