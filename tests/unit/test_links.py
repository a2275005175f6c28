"""Resource-level links against the delete set: what a kept or unselected resource holds back."""

from costzero.domain.links import hold_back
from costzero.domain.resources import Link, Resource


def res(type_key, rid, *links):
    return Resource(type_key, rid, "1", "r", links=tuple(links))


INSTANCE, VOLUME, SNAPSHOT, IMAGE = "ec2:instance", "ec2:volume", "ec2:snapshot", "ec2:image"
SELECTED = (INSTANCE, VOLUME, SNAPSHOT, IMAGE)


def test_what_links_to_a_kept_resource_is_held_back_transitively():
    image = res(IMAGE, "ami-1")
    snapshot = res(SNAPSHOT, "snap-1", Link(IMAGE, "ami-kept", "backing"))
    volume = res(VOLUME, "vol-1", Link(INSTANCE, "i-1", "attached to"))
    instance = res(INSTANCE, "i-1", Link("autoscaling:group", "web", "belongs to Auto Scaling group"))
    free, blocked = hold_back(
        [image, snapshot, volume, instance], {("1", "r", IMAGE, "ami-kept"): "tag keep"}, SELECTED
    )
    assert free == [image]
    assert {b.resource.id: b.reason for b in blocked} == {
        "snap-1": "backing ami-kept, which is kept (tag keep)",
        "i-1": "belongs to Auto Scaling group web, which is not selected (autoscaling:group)",
        "vol-1": "attached to i-1, which cannot go either",
    }


def test_a_link_to_a_listed_type_that_was_not_found_is_stale_and_ignored():
    # an address still naming an instance that a half-finished run already terminated
    address = res("ec2:elastic-ip", "eipalloc-1", Link(INSTANCE, "i-gone", "associated with"))
    free, blocked = hold_back([address], {}, (*SELECTED, "ec2:elastic-ip"))
    assert free == [address] and blocked == []


def test_a_link_to_a_type_whose_listing_failed_holds_back():
    volume = res(VOLUME, "vol-1", Link(INSTANCE, "i-1", "attached to"))
    free, blocked = hold_back([volume], {}, SELECTED, unlisted=[INSTANCE])
    assert free == [] and blocked[0].reason == "attached to i-1, whose type ec2:instance could not be listed"


def test_links_inside_the_delete_set_hold_nothing_back():
    instance = res(INSTANCE, "i-1")
    volume = res(VOLUME, "vol-1", Link(INSTANCE, "i-1", "attached to"))
    assert hold_back([volume, instance], {}, SELECTED) == ([volume, instance], [])


def test_a_name_used_in_two_regions_names_two_resources():
    """A database named the same in two regions: the one kept in us-east-1 holds back only its own
    subnet group, not the eu-west-1 one, whose database goes."""
    kept_db = Resource("rds:db-instance", "app", "1", "us-east-1")
    going_db = Resource("rds:db-instance", "app", "1", "eu-west-1")
    used_by = Link("rds:db-instance", "app", "used by")
    east = Resource("rds:db-subnet-group", "app-subnets", "1", "us-east-1", links=(used_by,))
    west = Resource("rds:db-subnet-group", "app-subnets", "1", "eu-west-1", links=(used_by,))
    types = ("rds:db-instance", "rds:db-subnet-group")
    free, blocked = hold_back([going_db, east, west], {kept_db.ref: "tag keep"}, types)
    assert free == [going_db, west]
    assert [(b.resource.region, b.reason) for b in blocked] == [
        ("us-east-1", "used by app, which is kept (tag keep)")
    ]


def test_a_link_may_name_a_resource_in_another_region():
    holder = Resource(
        "cloudformation:stack", "s", "1", "us-east-1", links=(Link("iam:role", "r", "uses", "global"),)
    )
    assert holder.ref_of(holder.links[0]) == ("1", "global", "iam:role", "r")


def test_a_link_into_a_region_the_run_does_not_list_holds_back():
    """A table whose replica is in a region outside the selection: not stale, unknown; it stays."""
    replica = Link("dynamodb:table", "orders", "replicated to eu-west-1 as", region="eu-west-1")
    table = Resource("dynamodb:table", "orders", "1", "us-east-1", links=(replica,))
    free, blocked = hold_back([table], {}, ["dynamodb:table"], regions=["us-east-1"])
    assert free == []
    assert blocked[0].reason == (
        "replicated to eu-west-1 as orders in eu-west-1, a region this run does not list"
    )
    assert hold_back([table], {}, ["dynamodb:table"], regions=["us-east-1", "eu-west-1"]) == ([table], [])
