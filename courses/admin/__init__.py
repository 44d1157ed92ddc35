"""Courses' Wagtail admin: snippet viewsets, their forms, policies and panels, and the
page editor's checks. ``courses/wagtail_hooks.py`` registers them and defines nothing."""
