from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handler_kit.base import HandlerOptions
from costzero.infrastructure.aws.handlers.ecs_cluster import EcsClusterHandler
from tests.integration.stubs import StubbedClients

ARN = "arn:aws:ecs:us-east-1:1:cluster/apps"


def test_discovers_deletes_and_confirms_clusters_but_not_the_default_one(aws, location, seed):
    ecs = seed("ecs")
    ecs.create_cluster(clusterName="apps", tags=[{"key": "team", "value": "a"}])
    ecs.create_cluster(clusterName="default")
    handler = EcsClusterHandler(aws)
    [found] = handler.discover(location, [])
    assert found.name == "apps" and found.tags == {"team": "a"}
    assert {
        r.name for r in EcsClusterHandler(aws, HandlerOptions(include_defaults=True)).discover(location, [])
    } == {
        "apps",
        "default",
    }
    assert handler.delete(location, [found])[0].kind is OutcomeKind.DONE
    assert handler.confirm_gone(location, [found])[0].kind is OutcomeKind.DONE
    assert handler.discover(location, []) == []
    # a second delete changes nothing (moto answers the INACTIVE cluster, AWS ClusterNotFoundException)
    assert handler.delete(location, [found])[0].kind in (OutcomeKind.DONE, OutcomeKind.GONE)


def test_a_cluster_still_holding_services_tasks_or_instances_is_not_yet():
    # moto deletes a cluster that still holds services; AWS refuses until they are gone
    stub = StubbedClients("ecs")
    for code in (
        "ClusterContainsServicesException",
        "ClusterContainsTasksException",
        "ClusterContainsContainerInstancesException",
    ):
        stub.error("delete_cluster", code, "The Cluster cannot be deleted while ... are active.")
    handler = EcsClusterHandler(stub)
    cluster = Resource("ecs:cluster", ARN, "1", "us-east-1")
    for _ in range(3):
        assert handler.delete(Location("1", "us-east-1"), [cluster])[0].kind is OutcomeKind.NOT_YET


def test_a_cluster_deprovisioning_is_pending():
    # moto makes a deleted cluster INACTIVE at once; AWS first removes its capacity providers
    stub = StubbedClients("ecs")
    stub.reply("describe_clusters", {"clusters": [{"clusterArn": ARN, "status": "DEPROVISIONING"}]})
    [result] = EcsClusterHandler(stub).confirm_gone(
        Location("1", "us-east-1"), [Resource("ecs:cluster", ARN, "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.PENDING


def test_discovery_links_a_cluster_to_its_services(aws, location, seed):
    ecs = seed("ecs")
    ecs.create_cluster(clusterName="apps")
    ecs.register_task_definition(
        family="web", containerDefinitions=[{"name": "w", "image": "nginx", "memory": 64}]
    )
    service = ecs.create_service(cluster="apps", serviceName="web", taskDefinition="web", desiredCount=0)
    [found] = EcsClusterHandler(aws).discover(location, [])
    assert [(link.type_key, link.id) for link in found.links] == [
        ("ecs:service", service["service"]["serviceArn"])
    ]
