import json

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.ecr_repository import EcrRepositoryHandler
from tests.integration.stubs import StubbedClients


def _push(ecr, repository, tag):
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"digest": f"sha256:{tag * 64}"[:71], "size": 7023},
        "layers": [],
    }
    ecr.put_image(repositoryName=repository, imageManifest=json.dumps(manifest), imageTag=tag)


def test_discovers_sizes_deletes_with_images_and_is_idempotent(aws, location, seed):
    ecr = seed("ecr")
    ecr.create_repository(repositoryName="web", tags=[{"Key": "team", "Value": "a"}])
    for tag in ("a", "b"):
        _push(ecr, "web", tag)
    handler = EcrRepositoryHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == "web" and found.tags == {"team": "a"} and found.attributes["images"] == 2
    [usage] = handler.usage(found)
    assert (usage.service, usage.usage_type, usage.unit, usage.monthly) == (
        "AmazonECR",
        "TimedStorage-ByteHrs",
        "GB-Mo",
        True,
    )
    assert usage.quantity == found.attributes["image_bytes"] / 1024**3
    assert handler.delete(location, [found])[0].kind is OutcomeKind.DONE  # with its images
    assert ecr.describe_repositories()["repositories"] == []
    assert handler.delete(location, [found])[0].kind is OutcomeKind.GONE


def test_a_repository_whose_images_cannot_be_read_has_an_unknown_size():
    stub = StubbedClients("ecr")
    repository = {
        "repositoryName": "web",
        "repositoryArn": "arn:aws:ecr:us-east-1:1:repository/web",
        "registryId": "1",
    }
    stub.reply("describe_repositories", {"repositories": [repository]})
    stub.reply("list_tags_for_resource", {"tags": []})
    stub.error("describe_images", "AccessDeniedException")
    handler = EcrRepositoryHandler(stub)
    [found] = handler.discover(Location("1", "us-east-1"), [])
    assert found.tags == {} and handler.usage(found)[0].quantity is None


def test_a_repository_refused_as_not_empty_is_not_yet():
    # the handler always forces, so moto never refuses; should AWS answer RepositoryNotEmptyException
    # (a push racing the delete), the delete is retried
    stub = StubbedClients("ecr")
    stub.error("delete_repository", "RepositoryNotEmptyException", "contains images")
    [result] = EcrRepositoryHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("ecr:repository", "web", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.NOT_YET
