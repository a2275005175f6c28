from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.autoscaling_launch_configuration import (
    AutoScalingLaunchConfigurationHandler,
)
from tests.integration.stubs import StubbedClients


def test_discovers_and_deletes_launch_configurations_once(aws, location, seed):
    image = seed("ec2").describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    seed("autoscaling").create_launch_configuration(
        LaunchConfigurationName="old-web", ImageId=image, InstanceType="t3.micro"
    )
    handler = AutoScalingLaunchConfigurationHandler(aws)
    [found] = handler.discover(location, [])
    assert (found.id, found.name, found.tags) == ("old-web", "old-web", {})
    assert found.attributes["instance_type"] == "t3.micro"
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.DONE]
    assert handler.discover(location, []) == []


def test_a_second_delete_is_gone():
    # moto accepts deleting an unknown launch configuration; AWS answers a ValidationError
    stub = StubbedClients("autoscaling")
    stub.error(
        "delete_launch_configuration", "ValidationError", "Launch configuration name not found - old-web"
    )
    resource = Resource("autoscaling:launch-configuration", "old-web", "1", "us-east-1")
    [result] = AutoScalingLaunchConfigurationHandler(stub).delete(Location("1", "us-east-1"), [resource])
    assert result.kind is OutcomeKind.GONE


def test_one_a_group_still_uses_is_not_yet():
    # moto deletes a launch configuration a group uses; AWS answers ResourceInUse
    stub = StubbedClients("autoscaling")
    stub.error(
        "delete_launch_configuration",
        "ResourceInUse",
        "Cannot delete launch configuration web because it is attached to AutoScalingGroup web",
    )
    stub.error("delete_launch_configuration", "ValidationError", "1 validation error detected")
    handler = AutoScalingLaunchConfigurationHandler(stub)
    location = Location("1", "us-east-1")
    resource = Resource("autoscaling:launch-configuration", "web", "1", "us-east-1")
    assert handler.delete(location, [resource])[0].kind is OutcomeKind.NOT_YET
    assert (
        handler.delete(location, [resource])[0].kind is OutcomeKind.FAILED
    )  # not every ValidationError is "gone"
