"""Wagtail's page views for Attune's page types, with creation made safe against a double
submit: an autosave and a click on Save (or two clicks) post the same new page twice; and,
when the caption gate refuses publishing, the links to act on it beside the errors."""

from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.viewsets.pages import PageViewSet

from ..services.authoring import lock_children_of
from .caption_links import caption_gate_message


class CaptionGateMessage:
    """The page forms keep the caption gaps that refused publishing; Wagtail lists form
    errors as plain text, so the links to the caption editor and to record an exception
    come as a message of their own."""

    def form_invalid(self, form):
        caption_gate_message(self.request, form)
        return super().form_invalid(form)


class GatedEditView(CaptionGateMessage, EditView):
    pass


class SerializedCreateView(CaptionGateMessage, CreateView):
    """Creates under one parent happen one at a time, from validation to saving: the second
    of two posts of the same page is then validated against the first, and is told its slug
    is taken, rather than passing the form and failing on save (a 500)."""

    def post(self, request):
        try:
            with transaction.atomic():
                lock_children_of(parent=self.parent_page)
                return super().post(request)
        except ValidationError as error:
            # A check only the model makes (Wagtail's ``full_clean`` on save) failed: the
            # block above rolled back, and the form shows it as it shows its own checks
            # (rendered outside the block, whose transaction can run no more queries).
            if self.form.is_bound and not hasattr(error, "error_dict"):
                self.form.add_error(None, error)
            else:
                for field, errors in error.error_dict.items():
                    self.form.add_error(field if field in self.form.fields else None, errors)
            self.form.restore_required_fields()
            return self.form_invalid(self.form)


class AttunePageViewSet(PageViewSet):
    add_view_class = SerializedCreateView
    edit_view_class = GatedEditView

    @property
    def parent_models(self):
        # The explorer keeps Wagtail's own listings of these pages' parents.
        return []


def page_viewsets(models) -> list[AttunePageViewSet]:
    return [AttunePageViewSet(f"attune_{model._meta.model_name}", model=model) for model in models]
