"""Admin panels of the module library's editor."""

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
