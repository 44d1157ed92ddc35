"""The page models' editor forms (their ``base_form_class``). They ask the rules in
``courses.allocation`` and the ownership, facilitator and library selectors, none of which
imports the page models, so the models and their forms import nothing that imports them.

Wagtail lets a draft be saved with required fields still empty ("deferred validation") and
checks them when the editor publishes, submits for review or approves. The allocation and
facilitator checks follow the same rule, so work in progress can always be saved.
"""

import copy
import zoneinfo

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from lms.organizations.models import Organization
from lms.organizations.permissions import Action
from lms.organizations.selectors import organizations_where

from ..allocation import AllocationRow, allocation_errors, sub_area_errors
from ..credit_rules import offer_errors
from ..selectors.facilitators import facilitators_for
from ..selectors.library import module_is_available_to
from ..selectors.ownership import association_for_page, cross_listing_error


class AttunePageForm(WagtailAdminPageForm):
    @property
    def association(self):
        if not hasattr(self, "_association"):
            page = self.instance if self.instance.pk else self.parent_page
            self._association = association_for_page(page=page) if page else None
        return self._association

    def is_publishing(self) -> bool:
        """True when the editor publishes, submits for review or approves: not a plain save,
        a request for changes or a cancelled review."""
        if self.is_deferred_validation:
            return False
        if self.data.get("action-cancel-workflow"):
            return False
        return not (
            self.data.get("action-workflow-action")
            and self.data.get("workflow-action-name") == "reject"
        )

    def add_caption_errors(self, cleaned: dict, *, training) -> None:
        """Publishing is refused while a recording this version shows (or, for a course, its
        live lessons show) lacks person-checked captions and ``training`` has no exception
        for it. The message names each recording."""
        # The caption gate reads the page models: imported when a form is checked.
        from ..selectors.captions import STREAMS, page_caption_gaps

        page = copy.copy(self.instance)
        for name in STREAMS:
            if name in cleaned and cleaned[name] is not None:
                setattr(page, name, cleaned[name])
        gaps = [g for g in page_caption_gaps(page=page, training=training) if not g.covered]
        if not gaps:
            return
        # Not on the stream field: its errors are drawn by script. The edit view adds the
        # links to act (``courses.admin.page_views``).
        self.caption_gaps, self.caption_training = gaps, training
        for gap in gaps:
            self.add_error(None, gap.advice())

    def live_child_forms(self, relation: str) -> list[forms.Form]:
        """The inline rows that will be kept, cleaned (a row with an invalid field keeps its
        valid fields)."""
        formset = self.formsets.get(relation)
        if formset is None:
            return []
        formset.is_valid()
        return [
            f
            for f in formset.forms
            if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
        ]


class TrainingPageForm(AttunePageForm):
    def add_inline_error(self, relation: str, message: str) -> None:
        """An error about an inline panel's rows taken together, shown in that panel, so the
        tab holding it is marked as having an error; the page is not saved with it."""
        formset = self.formsets.get(relation)
        if formset is None:
            self.add_error(None, message)
            return
        formset.non_form_errors()  # the formset's own checks run once and are kept
        formset._non_form_errors.append(message)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_delivery_formats()
        self._limit_providers()
        self._amounts_in_currency()
        self._limit_credit_kinds()

    def _limit_credit_kinds(self):
        """The Credits tab offers the association's active kinds (and keeps any kind a row
        already names, so that the rules can say what is wrong with it)."""
        formset = self.formsets.get("credit_offers")
        if formset is None:
            return
        from lms.records.models import CreditKind

        association = self.association
        kept = {f.instance.kind_id for f in formset.forms if f.instance.kind_id}
        kinds = (
            CreditKind.objects.filter(Q(organization=association, is_active=True) | Q(pk__in=kept))
            if association is not None
            else CreditKind.objects.filter(pk__in=kept)
        )

        def limit(form):
            if "kind" in form.fields:
                form.fields["kind"].queryset = kinds

        for form in formset.forms:
            limit(form)
        base = formset.form

        class OfferForm(base):  # rows added in the browser are copies of the empty form
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                limit(self)

        formset.form = OfferForm

    def _amounts_in_currency(self):
        """Prices are typed in the association's currency (its decimals, e.g. none in yen)."""
        from lms.money import currency_of

        from .fields import MoneyFormField

        currency = currency_of(self.association)
        for field in self.fields.values():
            if isinstance(field, MoneyFormField):
                field.currency = currency

    def _limit_delivery_formats(self):
        field = self.fields.get("delivery_format")
        if field is None:
            return
        allowed = type(self.instance).allowed_formats
        field.choices = [(value, label) for value, label in field.choices if value in allowed]
        field.required = True

    def _limit_providers(self):
        field = self.fields.get("provider")
        if field is None:
            return
        user = self.for_user
        allowed = organizations_where(user=user, action=Action.EDIT_TRAINING).values("pk")
        keep = [
            pk for pk in (self.instance.provider_id, getattr(self.association, "pk", None)) if pk
        ]
        field.queryset = Organization.objects.filter(Q(pk__in=allowed) | Q(pk__in=keep))
        if (
            not self.instance.pk
            and self.association is not None
            and not self.initial.get("provider")
        ):
            # A new page's initial data already holds ``provider: None`` from the instance.
            self.initial["provider"] = self.association.pk

    def clean(self):
        cleaned = super().clean()
        publishing = self.is_publishing()

        rows = [
            AllocationRow(
                area_id=f.cleaned_data["area"].pk,
                area_name=f.cleaned_data["area"].name,
                hours=f.cleaned_data.get("hours"),
            )
            for f in self.live_child_forms("area_hours")
            if f.cleaned_data.get("area")
        ]
        for error in allocation_errors(
            contact_hours=cleaned.get("contact_hours"), rows=rows, complete=publishing
        ):
            self.add_inline_error("area_hours", error)
        if publishing and "sub_areas" in cleaned:
            for error in sub_area_errors(
                sub_areas=cleaned["sub_areas"], allocated_area_ids={r.area_id for r in rows}
            ):
                self.add_error("sub_areas", error)

        links = [
            f
            for f in self.live_child_forms("facilitator_links")
            if f.cleaned_data.get("facilitator")
        ]
        if publishing and not links:
            self.add_inline_error(
                "facilitator_links", _("Add at least one facilitator before publishing.")
            )
        if links and self.association is not None:
            eligible = set(
                facilitators_for(
                    association=self.association, provider=cleaned.get("provider")
                ).values_list("pk", flat=True)
            )
            for link in links:
                facilitator = link.cleaned_data["facilitator"]
                if facilitator.pk not in eligible:
                    link.add_error(
                        "facilitator",
                        _(
                            "%(facilitator)s is not approved by %(association)s and does not "
                            "work for the provider. Ask a reviewer to approve them first."
                        )
                        % {
                            "facilitator": facilitator.name,
                            "association": self.association.display_name,
                        },
                    )
        if publishing:
            self.add_caption_errors(cleaned, training=self.instance)
        self.add_credit_errors(cleaned)
        return cleaned

    def add_credit_errors(self, cleaned: dict) -> None:
        """Each credit kind's rules, on every save (a draft too): each message names the
        kind and shows on its row."""
        rows = [f for f in self.live_child_forms("credit_offers") if f.cleaned_data.get("kind")]
        if not rows:
            return
        # Reads the page models: imported when a form is checked.
        from ..selectors.credit_offers import required_post_tests

        post_tests = required_post_tests(
            training=self.instance,
            association=self.association,
            post_test=cleaned.get("post_test") if "post_test" in self.fields else None,
            require_post_test=cleaned.get("require_post_test", self.instance.require_post_test),
        )
        for row in rows:
            for error in offer_errors(
                kind=row.cleaned_data["kind"],
                amount=row.cleaned_data.get("amount"),
                association=self.association,
                contact_hours=cleaned.get("contact_hours"),
                post_tests=post_tests,
                today=timezone.localdate(),
                is_course=self.instance.__class__.__name__ == "CoursePage",
            ):
                row.add_error(None, error)


class LiveEventPageForm(TrainingPageForm):
    """Start and end are typed and shown in the event's own time zone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = self._zone(self.instance.time_zone)
        if zone is not None:
            for name in ("starts_at", "ends_at"):
                value = getattr(self.instance, name)
                if value is not None:
                    self.initial[name] = value.astimezone(zone).replace(tzinfo=None)

    @staticmethod
    def _zone(name):
        try:
            return zoneinfo.ZoneInfo(name) if name else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None

    def clean(self):
        cleaned = super().clean()
        zone = self._zone(cleaned.get("time_zone"))
        if zone is not None:
            for name in ("starts_at", "ends_at"):
                value = cleaned.get(name)
                if value is not None:
                    # The form read the wall-clock time in the editor's zone; it means the
                    # event's zone.
                    cleaned[name] = timezone.make_naive(value).replace(tzinfo=zone)
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        return cleaned


class LessonPageForm(AttunePageForm):
    def clean(self):
        cleaned = super().clean()
        body = cleaned.get("body")
        if body is None:
            return cleaned
        for block in body:
            if block.block_type != "module" or block.value is None:
                continue
            module = block.value
            if not module.live:
                self.add_error(
                    "body", _("The module “%(module)s” is not published yet.") % {"module": module}
                )
            elif not module_is_available_to(module=module, organization=self.association):
                if self.association:
                    message = _("The module “%(module)s” is not shared with %(association)s.") % {
                        "module": module,
                        "association": self.association.display_name,
                    }
                else:
                    message = _("The module “%(module)s” is not shared with this site.") % {
                        "module": module
                    }
                self.add_error("body", message)
        if self.is_publishing():
            course = self.parent_page.specific if self.parent_page else None
            self.add_caption_errors(cleaned, training=course)
        return cleaned


class CatalogIndexPageForm(AttunePageForm):
    def clean(self):
        cleaned = super().clean()
        for child in self.live_child_forms("cross_listings"):
            training = child.cleaned_data.get("training")
            if training is not None:
                error = cross_listing_error(association=self.association, training=training)
                if error:
                    child.add_error("training", error)
        return cleaned
