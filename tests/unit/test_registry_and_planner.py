import pytest

from costzero.domain.errors import RegistryError, UnknownSelectionError
from costzero.domain.planning import plan
from costzero.domain.registry import ResourceRegistry
from costzero.domain.resources import GLOBAL_REGION, Action, ResourceTypeSpec, Scope
from costzero.domain.tasks import TaskKey

SPECS = (
    ResourceTypeSpec("ec2:instance"),
    ResourceTypeSpec("ec2:volume", requires=("ec2:instance",)),
    ResourceTypeSpec("ec2:security-group", requires=("ec2:instance",)),
    ResourceTypeSpec("s3:bucket", scope=Scope.GLOBAL),
    ResourceTypeSpec("iam:role", scope=Scope.GLOBAL, requires=("ec2:instance",)),
)
REGIONS = ["us-east-1", "eu-west-1"]


def test_a_cycle_is_refused_naming_the_cycle():
    with pytest.raises(RegistryError, match=r"registry cycle: .*a:x -> .*b:y"):
        ResourceRegistry(
            [
                ResourceTypeSpec("a:x", requires=("b:y",)),
                ResourceTypeSpec("b:y", requires=("c:z",)),
                ResourceTypeSpec("c:z", requires=("a:x",)),
            ]
        )


def test_self_reference_unknown_requires_and_duplicates_are_refused():
    with pytest.raises(RegistryError, match="cycle"):
        ResourceTypeSpec("a:x", requires=("a:x",))
    with pytest.raises(RegistryError, match="unknown resource type 'b:y'"):
        ResourceRegistry([ResourceTypeSpec("a:x", requires=("b:y",))])
    with pytest.raises(RegistryError, match="twice"):
        ResourceRegistry([ResourceTypeSpec("a:x"), ResourceTypeSpec("a:x")])
    with pytest.raises(RegistryError, match="service:name"):
        ResourceTypeSpec("Not A Key")


def test_selection_by_service_and_type():
    registry = ResourceRegistry(SPECS)
    assert registry.select(services=["s3"]) == ("s3:bucket",)
    assert registry.select(types=["ec2:volume"], services=["s3"]) == ("ec2:volume", "s3:bucket")
    assert len(registry.select()) == len(SPECS)
    assert registry.select(action=Action.STOP) == ()
    with pytest.raises(UnknownSelectionError, match="unknown service 'ec3'"):
        registry.select(services=["ec3"])
    with pytest.raises(UnknownSelectionError, match="unknown resource type 'ec2:volumes'"):
        registry.select(types=["ec2:volumes"])


def test_regional_types_expand_per_region_with_edges_inside_the_region():
    pipeline = plan(ResourceRegistry(SPECS), ["ec2:instance", "ec2:volume"], REGIONS, ["1"])
    assert len(pipeline.tasks) == 4
    volume = pipeline.tasks[TaskKey("ec2:volume", "1", "eu-west-1")]
    assert volume.requires == {TaskKey("ec2:instance", "1", "eu-west-1")}


def test_global_types_are_planned_once_per_account():
    pipeline = plan(ResourceRegistry(SPECS), ["s3:bucket", "iam:role", "ec2:instance"], REGIONS, ["1", "2"])
    buckets = [k for k in pipeline.tasks if k.type_key == "s3:bucket"]
    assert buckets == [TaskKey("s3:bucket", "1", GLOBAL_REGION), TaskKey("s3:bucket", "2", GLOBAL_REGION)]
    role = pipeline.tasks[TaskKey("iam:role", "2", GLOBAL_REGION)]
    # a global type waits for its prerequisites in every region of its own account only
    assert role.requires == {TaskKey("ec2:instance", "2", r) for r in REGIONS}


def test_edges_to_unselected_types_are_dropped():
    pipeline = plan(ResourceRegistry(SPECS), ["ec2:volume"], REGIONS, ["1"])
    assert {k.type_key for k in pipeline.tasks} == {"ec2:volume"}  # not an empty pipeline
    assert all(not task.requires for task in pipeline.tasks.values())


def test_stages_are_topological_generations():
    pipeline = plan(ResourceRegistry(SPECS), [s.key for s in SPECS], ["us-east-1"], ["1"])
    stages = [{k.type_key for k in stage.tasks} for stage in pipeline.stages]
    assert stages == [{"ec2:instance", "s3:bucket"}, {"ec2:volume", "ec2:security-group", "iam:role"}]


def test_reverse_plan_reads_requires_backwards():
    pipeline = plan(
        ResourceRegistry(SPECS), ["ec2:instance", "ec2:volume"], ["us-east-1"], ["1"], reverse=True
    )
    instance = pipeline.tasks[TaskKey("ec2:instance", "1", "us-east-1")]
    assert instance.requires == {TaskKey("ec2:volume", "1", "us-east-1")}


def test_naming_a_type_or_service_without_the_action_is_refused_with_the_reason():
    from costzero.domain.errors import UnsupportedActionError

    registry = ResourceRegistry(
        [
            *SPECS,
            ResourceTypeSpec("cloudwatch:alarm", actions=frozenset({Action.STOP, Action.START})),
            ResourceTypeSpec("lambda:function", actions=frozenset({Action.STOP, Action.START})),
        ]
    )
    with pytest.raises(UnsupportedActionError, match=r"cloudwatch:alarm cannot be deleted: .*start, stop"):
        registry.select(types=["cloudwatch:alarm"], action=Action.DELETE)
    with pytest.raises(UnsupportedActionError, match="service 'lambda' has no type that can be deleted"):
        registry.select(services=["lambda"], action=Action.DELETE)
    with pytest.raises(UnsupportedActionError, match="ec2:volume cannot be stopped"):
        registry.select(types=["ec2:volume"], action=Action.STOP)
    # a service with some deletable types, or no names at all, narrows silently
    assert registry.select(services=["ec2"], action=Action.DELETE) == (
        "ec2:instance",
        "ec2:security-group",
        "ec2:volume",
    )
    assert "cloudwatch:alarm" not in registry.select(action=Action.DELETE)


def test_edges_covered_by_links_become_follows_for_a_destroy_only():
    specs = (
        ResourceTypeSpec("ec2:instance"),
        ResourceTypeSpec("eb:env"),
        ResourceTypeSpec("ec2:sg", requires=("ec2:instance", "eb:env"), linked_requires=("ec2:instance",)),
    )
    registry = ResourceRegistry(specs)
    types = ["ec2:instance", "eb:env", "ec2:sg"]
    by_links = plan(registry, types, REGIONS, ["1"], by_links=True)
    group = by_links.tasks[TaskKey("ec2:sg", "1", "eu-west-1")]
    assert group.requires == {TaskKey("eb:env", "1", "eu-west-1")}  # not covered: a barrier
    assert group.follows == {TaskKey("ec2:instance", "1", "eu-west-1")}
    assert by_links.followers()[TaskKey("ec2:instance", "1", "eu-west-1")] == {group.key}
    assert [len(stage.tasks) for stage in by_links.stages] == [4, 2]  # display order unchanged
    type_level = plan(registry, types, REGIONS, ["1"]).tasks[group.key]
    assert type_level.requires == group.requires | group.follows
    assert type_level.follows == frozenset()


def test_linked_requires_must_be_required():
    with pytest.raises(RegistryError, match="linked_requires"):
        ResourceTypeSpec("ec2:volume", requires=("ec2:instance",), linked_requires=("ec2:image",))
