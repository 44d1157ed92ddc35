"""The learners' and facilitators' screens under /learning/, one module per screen;
``courses/urls.py`` wires them."""
