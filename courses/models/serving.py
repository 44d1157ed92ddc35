"""How Attune's pages are found and checked when served, in fewer reads than Wagtail's
defaults and with the same outcome."""


class ServedPage:
    """Mixed into ``AttunePage`` (before Wagtail's ``Page``)."""

    def route(self, request, path_components):
        # Where children are all of one type (a home page's catalog, a course's lessons), read
        # the child asked for as that type: one query where Wagtail reads it, then its type.
        models = type(self).allowed_subpage_models()
        if path_components and len(models) == 1:
            child = models[0].objects.child_of(self).filter(slug=path_components[0]).first()
            if child is not None:
                child._cached_parent_obj = self
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def share_view_restrictions(self) -> None:
        """Called as this instance is about to be served (it lives for that one request):
        Wagtail's check before serving and the playback check (is the page public?) then
        read the restrictions once, the first filling the result the second asks about."""
        self._attune_view_restrictions = super().get_view_restrictions()

    def get_view_restrictions(self):
        shared = self.__dict__.get("_attune_view_restrictions")
        return shared if shared is not None else super().get_view_restrictions()

    def _get_dummy_header_url(self, original_request=None):
        # Wagtail previews a page not yet saved (it has no URL) on the admin's host, which is
        # Attune's own site, not the association's: its links then lead nowhere. Preview it
        # where it will live, under its parent on the association's site.
        url = super()._get_dummy_header_url(original_request)
        if self.pk is None and self.path and self.depth and self.depth > 1:
            parent_url = self.get_parent().full_url
            if parent_url:
                url = parent_url + (f"{self.slug}/" if self.slug else "")
        return url
