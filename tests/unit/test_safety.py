import pytest

from costzero.domain.errors import BadInputError, SafetyRefusal
from costzero.domain.resources import Resource, ResourceTypeSpec
from costzero.domain.safety import HELD, SAFETY_COPY, SafetyPolicy, TagFilter, split_by_discovery

SPEC = ResourceTypeSpec("ec2:volume")
UNTAGGED = ResourceTypeSpec("ec2:thing", taggable=False)


def res(tags):
    return Resource("ec2:volume", "vol-1", "1", "us-east-1", tags=tags)


@pytest.mark.parametrize("text", ["", "=x", "k=", "a=b=c", " = "])
def test_bad_tag_filters_are_bad_input(text):
    with pytest.raises(BadInputError, match="bad tag filter"):
        TagFilter.parse(text)


def test_tag_filters_keep_matching_resources():
    policy = SafetyPolicy(exclude_tags=(TagFilter.parse("keep=true"), TagFilter.parse("Owner")))
    assert policy.keep_reason(res({"keep": "true"}), SPEC) == "tag keep=true"
    assert policy.keep_reason(res({"Owner": "ana"}), SPEC) == "tag Owner"
    assert policy.keep_reason(res({"keep": "false"}), SPEC) is None


def test_filters_fail_closed():
    policy = SafetyPolicy(exclude_tags=(TagFilter.parse("keep=true"),))
    assert "could not be read" in policy.keep_reason(res(None), SPEC)
    assert "carries no tags" in policy.keep_reason(res({}), UNTAGGED)
    # without filters nothing is kept for lack of tags
    assert SafetyPolicy().keep_reason(res(None), SPEC) is None


def test_account_lists():
    SafetyPolicy().check_account("1")
    with pytest.raises(SafetyRefusal, match="block-list"):
        SafetyPolicy(blocked_accounts=frozenset({"1"})).check_account("1")
    with pytest.raises(SafetyRefusal, match="not in the allow-list"):
        SafetyPolicy(allowed_accounts=frozenset({"2"})).check_account("1")


def test_blast_radius():
    SafetyPolicy(max_resources=3).check_blast_radius(3)
    with pytest.raises(SafetyRefusal, match="4 resources"):
        SafetyPolicy(max_resources=3).check_blast_radius(4)


def test_a_real_run_needs_the_account_typed_or_yes_with_allow_list():
    open_policy = SafetyPolicy()
    open_policy.authorize(["1"], typed="1")
    open_policy.authorize(["1"], typed="sandbox", aliases=["sandbox"])
    with pytest.raises(SafetyRefusal, match="did not match"):
        open_policy.authorize(["1"], typed="2")
    with pytest.raises(SafetyRefusal, match="did not match"):
        open_policy.authorize(["1"])
    with pytest.raises(SafetyRefusal, match="allow-list"):
        open_policy.authorize(["1"], assume_yes=True)
    SafetyPolicy(allowed_accounts=frozenset({"1"})).authorize(["1"], assume_yes=True)


def test_safety_copies_are_kept_unless_their_types_protection_may_go():
    copy = Resource(
        "rds:db-snapshot", "costzero-final-db-1", "1", "r", attributes={SAFETY_COPY: "final snapshot"}
    )
    other = Resource("rds:db-snapshot", "before-upgrade", "1", "r")
    split = split_by_discovery([copy, other], disable_protection=())
    assert split.chosen == [other]
    assert [(k.resource, k.reason) for k in split.kept] == [
        (copy, "final snapshot; --disable-protection rds:db-snapshot to delete it")
    ]
    allowed = split_by_discovery([copy, other], ["rds:db-snapshot"])
    assert allowed.chosen == [copy, other] and allowed.kept == []


def test_what_discovery_found_protected_is_planned_protected_unless_its_type_may_turn_it_off():
    locked = Resource("rds:db-instance", "orders", "1", "r", attributes={"deletion_protection": True})
    stack = Resource("cloudformation:stack", "s", "1", "r", attributes={"termination_protection": True})
    free = Resource("rds:db-instance", "scratch", "1", "r", attributes={"deletion_protection": False})
    split = split_by_discovery([locked, stack, free], disable_protection=["cloudformation:stack"])
    assert split.chosen == [stack, free]
    assert [(p.resource, p.reason) for p in split.protected] == [
        (locked, "deletion protection on; --disable-protection rds:db-instance to delete it")
    ]


def test_what_discovery_found_the_run_cannot_delete_is_planned_blocked():
    member = Resource("rds:db-cluster", "orders", "1", "r", attributes={HELD: "member of a global database"})
    plain = Resource("rds:db-cluster", "plain", "1", "r")
    split = split_by_discovery([member, plain], disable_protection=["rds:db-cluster"])  # protection only
    assert split.chosen == [plain]
    assert [(h.resource, h.reason) for h in split.held] == [(member, "member of a global database")]
