"""What a CloudFormation stack created is left to the stack: found by tag or by the stack's list."""

from costzero.domain.links import hold_back
from costzero.domain.ownership import STACK_ID_TAG, STACK_NAME_TAG, STACK_TYPE, resolve
from costzero.domain.resources import Link, Resource
from costzero.domain.safety import Kept

ACCOUNT = "1"
APP = "arn:aws:cloudformation:us-east-1:1:stack/app/0a1b"
NESTED = "arn:aws:cloudformation:us-east-1:1:stack/app-Db-1/2c3d"
LISTED = {ACCOUNT: frozenset({"us-east-1"})}


def stack(stack_id=APP, name="app", members=(), nested=()):
    return Resource(
        STACK_TYPE,
        stack_id,
        ACCOUNT,
        "us-east-1",
        name=name,
        attributes={"stack_ids": [stack_id, *nested], "members": list(members)},
    )


def res(type_key, rid, *links, tags=None, region="us-east-1", name=None):
    return Resource(type_key, rid, ACCOUNT, region, name=name, tags=tags or {}, links=tuple(links))


def tagged(stack_id, name="app"):
    return {STACK_ID_TAG: stack_id, STACK_NAME_TAG: name}


def test_members_found_by_tag_nested_stack_tag_or_the_stacks_list_go_with_the_stack():
    app = stack(
        members=["iam|app-Role-1", "sqs|https://sqs.us-east-1.amazonaws.com/1/app-Q-1"], nested=[NESTED]
    )
    group = res("ec2:security-group", "sg-1", tags=tagged(APP))
    database = res("rds:db-instance", "db-1", tags=tagged(NESTED, "app-Db-1"))
    role = res("iam:role", "AROA1", name="app-Role-1", region="global")  # IAM takes no aws: tags
    queue = res("sqs:queue", "http://127.0.0.1:5000/1/app-Q-1", name="app-Q-1")
    loose = res("sqs:queue", "http://127.0.0.1:5000/1/other", name="other")
    owned = resolve([app, group, database, role, queue, loose], [], LISTED)
    assert {k.resource.id for k in owned.with_stack} == {"sg-1", "db-1", "AROA1", queue.id}
    assert all(k.reason == "deleted with CloudFormation stack app" for k in owned.with_stack)
    assert [r.id for r in owned.chosen] == [APP, loose.id]
    assert owned.kept == []


def test_a_name_listed_by_a_stack_of_another_service_or_region_is_not_its_member():
    app = stack(members=["sqs|shared"])
    topic = res("sns:topic", "arn:aws:sns:us-east-1:1:shared", name="shared")  # same name, other service
    queue = res("sqs:queue", "q", name="shared", region="eu-west-1")  # same name, other region
    owned = resolve([app, topic, queue], [], LISTED)
    assert owned.with_stack == [] and len(owned.chosen) == 3


def test_links_to_members_become_links_to_the_stack_and_the_stack_waits_for_what_members_wait_for():
    app = stack()
    group = res("ec2:security-group", "sg-1", Link("ec2:instance", "i-out", "used by"), tags=tagged(APP))
    instance = res("ec2:instance", "i-in", tags=tagged(APP))
    volume = res("ec2:volume", "vol-1", Link("ec2:instance", "i-in", "attached to"))
    outside = res("ec2:instance", "i-out")
    owned = resolve([app, group, instance, volume, outside], [], LISTED)
    chosen = {r.id: r for r in owned.chosen}
    assert set(chosen) == {APP, "vol-1", "i-out"}
    assert chosen["vol-1"].links == (Link(STACK_TYPE, APP, "attached to i-in, created by"),)
    assert chosen[APP].links == (Link("ec2:instance", "i-out", "used by"),)  # its group is used outside
    assert chosen["i-out"] is outside


def test_a_kept_stack_keeps_its_members():
    app = stack()
    group = res("ec2:security-group", "sg-1", tags=tagged(APP))
    owned = resolve([group], [Kept(app, "tag keep")], LISTED)
    assert owned.chosen == [] and owned.with_stack == []
    assert [(k.resource.id, k.reason) for k in owned.kept] == [
        ("sg-1", "created by CloudFormation stack app, which is kept (tag keep)")
    ]


def test_a_stack_the_run_did_not_list_keeps_its_tagged_resources_fail_closed():
    group = res("ec2:security-group", "sg-1", tags=tagged(APP))
    owned = resolve([group], [], {})  # cloudformation:stack not selected
    assert owned.chosen == []
    assert owned.kept[0].reason == (
        "created by CloudFormation stack app, which this run does not list; "
        "select cloudformation:stack in us-east-1 to delete it with its stack"
    )


def test_a_stackset_stack_keeps_its_resources():
    stack_set = "arn:aws:cloudformation:us-east-1:1:stack/StackSet-base-1/9f"
    group = res("ec2:security-group", "sg-1", tags=tagged(stack_set, "StackSet-base-1"))
    owned = resolve([group], [], LISTED)
    assert "a StackSet manages" in owned.kept[0].reason


def test_a_resource_its_deleted_stack_retained_is_deleted_like_any_other():
    # the stack was listed in its region and is not there: DeletionPolicy Retain left the resource
    group = res("ec2:security-group", "sg-1", tags=tagged(APP))
    owned = resolve([group], [], LISTED)
    assert owned.chosen == [group] and owned.kept == [] and owned.with_stack == []


def test_beanstalk_resources_belong_to_their_environment_not_to_its_stack():
    beanstalk_stack = "arn:aws:cloudformation:us-east-1:1:stack/awseb-e-1-stack/77"
    instance = res(
        "ec2:instance",
        "i-1",
        tags={**tagged(beanstalk_stack, "awseb-e-1-stack"), "elasticbeanstalk:environment-name": "web"},
    )
    owned = resolve([instance], [], {})
    assert owned.chosen == [instance]


def test_a_stack_holding_a_resource_the_user_keeps_links_to_it_so_it_is_held_back():
    app = stack()
    kept_group = res("ec2:security-group", "sg-keep", tags={**tagged(APP), "keep": "true"})
    queue = res("sqs:queue", "q", tags=tagged(APP))
    owned = resolve([app, queue], [Kept(kept_group, "tag keep=true")], LISTED)
    [chosen_stack] = owned.chosen
    assert chosen_stack.links == (Link("ec2:security-group", "sg-keep", "would delete its"),)
    free, blocked = hold_back(owned.chosen, {kept_group.ref: "tag keep=true"}, [STACK_TYPE, "sqs:queue"])
    assert free == [] and blocked[0].reason == "would delete its sg-keep, which is kept (tag keep=true)"
