"""Admin panels: the module library's usage, and a training's caption gate."""

from django.template.loader import render_to_string
from wagtail.admin.panels import Panel

from ..selectors.library import module_usage


class ModuleUsagePanel(Panel):
    """Shows a module's owner every lesson that embeds it, and whose course that is."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/admin/module_usage_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["uses"] = module_usage(module=self.instance) if self.instance.pk else []
            return context

        def render_html(self, parent_context=None):
            return render_to_string(self.template_name, self.get_context_data(parent_context))


class CaptionGatePanel(Panel):
    """On a training's editor: its recordings that lack person-checked captions, the
    exceptions recorded for it, and the way to record or revoke one (``caption_gate``)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/admin/caption_gate_panel.html"

        def is_shown(self):
            return bool(self.instance.pk)

        def get_context_data(self, parent_context=None):
            # The page models build this panel: what it reads is imported when it renders.
            from ..selectors.captions import training_caption_gaps
            from .caption_links import captions_url, exceptions_url, may_grant

            context = super().get_context_data(parent_context)
            training = self.instance
            gaps = training_caption_gaps(training=training)
            for gap in gaps:
                gap.captions_url = captions_url(gap.recording, gap.caption)
            context.update(
                gaps=gaps,
                exceptions_url=exceptions_url(training),
                may_grant=may_grant(self.request.user, training),
            )
            return context

        def render_html(self, parent_context=None):
            return render_to_string(
                self.template_name, self.get_context_data(parent_context), request=self.request
            )
