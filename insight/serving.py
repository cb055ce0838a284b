"""Facts about how the app is served behind a load balancer (deploy/haproxy.cfg), as plain functions."""

from __future__ import annotations

REPLICA_COOKIE = "INSIGHT_REPLICA"  # HAProxy's affinity cookie: the name of the replica a browser keeps to
REPLICA_NAME_ENV = "INSIGHT_REPLICA_NAME"  # each replica's own name (deploy/replicas.py sets it)
MOVED_NOTICE = ("The server this page was on has restarted, so the page reconnected to another one. The view in "
                "the address is kept, but your last change may need making again, and an uploaded file "
                "uploading again.")


def replica_move_notice(cookie_replica: str | None, this_replica: str | None) -> str | None:
    """The notice for a browser whose affinity cookie names another replica than the one serving it now
    (HAProxy sent it here because its own replica went away); None otherwise, and when not load balanced."""
    if not cookie_replica or not this_replica or cookie_replica == this_replica:
        return None
    return MOVED_NOTICE
