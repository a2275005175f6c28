from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import GLOBAL_REGION, Location, Resource
from costzero.infrastructure.aws.handlers.cloudfront_distribution import CloudFrontDistributionHandler
from tests.integration.stubs import StubbedClients

GLOBAL = Location("1", GLOBAL_REGION)


def distribution_config(reference, enabled=True, identity=""):
    return {
        "CallerReference": reference,
        "Comment": reference,
        "Enabled": enabled,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "origin",
                    "DomainName": "bucket.s3.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": identity},
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "origin",
            "ViewerProtocolPolicy": "allow-all",
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
        },
    }


def create(cloudfront, reference, tags=None, **extra):
    config = distribution_config(reference, **extra)
    if tags is None:
        return cloudfront.create_distribution(DistributionConfig=config)["Distribution"]["Id"]
    reply = cloudfront.create_distribution_with_tags(
        DistributionConfigWithTags={"DistributionConfig": config, "Tags": {"Items": tags}}
    )
    return reply["Distribution"]["Id"]


def test_distributions_are_listed_with_tags(aws, account, seed):
    cloudfront = seed("cloudfront")
    tagged = create(cloudfront, "a", tags=[{"Key": "team", "Value": "a"}])
    plain = create(cloudfront, "b")
    found = {
        r.id: r
        for r in CloudFrontDistributionHandler(aws).discover(Location(account, GLOBAL_REGION), ["us-east-1"])
    }
    assert set(found) == {tagged, plain}
    assert found[tagged].tags == {"team": "a"} and found[plain].tags == {}
    assert found[tagged].attributes["enabled"] is True and found[tagged].region == GLOBAL_REGION


def test_an_enabled_distribution_is_disabled_then_deleted_once_deployed_then_gone(aws, account, seed):
    cloudfront = seed("cloudfront")
    distribution_id = create(cloudfront, "a")
    location = Location(account, GLOBAL_REGION)
    handler = CloudFrontDistributionHandler(aws)
    found = handler.discover(location, ["us-east-1"])
    [disabling] = handler.delete(location, found)
    assert disabling.kind is OutcomeKind.PENDING
    assert cloudfront.get_distribution_config(Id=distribution_id)["DistributionConfig"]["Enabled"] is False
    assert [o.kind for o in handler.confirm_gone(location, found)] == [
        OutcomeKind.DONE
    ]  # moto deploys at once
    assert cloudfront.list_distributions()["DistributionList"].get("Items", []) == []
    assert [o.kind for o in handler.delete(location, found)] == [OutcomeKind.GONE]
    assert [o.kind for o in handler.confirm_gone(location, found)] == [OutcomeKind.GONE]


def _distribution(status, enabled):
    return {
        "Distribution": {
            "Id": "E1",
            "ARN": "arn:aws:cloudfront::1:distribution/E1",
            "Status": status,
            "LastModifiedTime": "2026-01-01T00:00:00Z",
            "InProgressInvalidationBatches": 0,
            "DomainName": "d1.cloudfront.net",
            "DistributionConfig": distribution_config("a", enabled=enabled),
        },
        "ETag": "ETAG2",
    }


def test_a_disabled_distribution_waits_until_deployed_then_is_deleted_with_the_fresh_etag():
    """Real CloudFront takes minutes to deploy a disabled distribution (moto: at once): stubbed."""
    stub = StubbedClients("cloudfront")
    stub.reply("get_distribution", _distribution("InProgress", False), {"Id": "E1"})
    stub.reply("get_distribution", _distribution("Deployed", False), {"Id": "E1"})
    stub.reply("delete_distribution", {}, {"Id": "E1", "IfMatch": "ETAG2"})
    handler = CloudFrontDistributionHandler(stub)
    resource = Resource("cloudfront:distribution", "E1", "1", GLOBAL_REGION)
    [waiting] = handler.confirm_gone(GLOBAL, [resource])
    assert waiting.kind is OutcomeKind.PENDING and "InProgress" in waiting.message
    assert [o.kind for o in handler.confirm_gone(GLOBAL, [resource])] == [OutcomeKind.DONE]
    stub.stubber.assert_no_pending_responses()


def test_deleting_a_distribution_not_yet_disabled_or_changed_meanwhile_is_not_yet():
    """Real CloudFront answers DistributionNotDisabled / PreconditionFailed (stale ETag); moto
    does not check either, so the errors are injected."""
    for code in ("DistributionNotDisabled", "PreconditionFailed"):
        stub = StubbedClients("cloudfront")
        stub.reply("get_distribution", _distribution("Deployed", False))
        stub.error("delete_distribution", code, "not yet")
        [result] = CloudFrontDistributionHandler(stub).confirm_gone(
            GLOBAL, [Resource("cloudfront:distribution", "E1", "1", GLOBAL_REGION)]
        )
        assert result.kind is OutcomeKind.NOT_YET, code
