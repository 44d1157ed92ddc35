"""The role sets the permission grid's rows name (see expected.py for what each means)."""

ANYONE = ("anyone",)  # public: and it must show nobody's private words
LINK = ("link",)  # anyone holding the URL's secret or verification number, who may see
# what it names (a record's verification shows the learner's name to whoever checks it)
SIGNED_IN = ("signed_in",)
OWNER = ("owner",)
NOBODY = ()  # links nobody in the grid holds, and the API (bearer tokens only)
SUPERUSER = ("superuser",)
ASSOCIATION_STAFF = ("editor", "reviewer", "admin", "superuser")
RECORD_VIEWERS = ("editor", "reviewer", "admin", "facilitator", "superuser")
EDITORS = ("editor", "admin", "superuser")
APPROVERS = ("reviewer", "admin", "superuser")
ADMINS = ("admin", "superuser")
CENTER = ("manager", "superuser")
