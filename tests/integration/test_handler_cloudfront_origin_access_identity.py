"""moto 5 has no CloudFront origin access identity API: the embedded server adds one
(`moto_server._cloudfront_origin_access_identities`, with real CloudFront's ETag and in-use
checks); the listing shapes moto cannot produce are stubbed, in the shapes real CloudFront replies."""

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import GLOBAL_REGION, Link, Location, Resource
from costzero.infrastructure.aws.handlers.cloudfront_origin_access_identity import (
    CloudFrontOriginAccessIdentityHandler,
)
from tests.integration.stubs import StubbedClients
from tests.integration.test_handler_cloudfront_distribution import create

GLOBAL = Location("1", GLOBAL_REGION)
PAGE = {"Marker": "", "MaxItems": 100, "IsTruncated": False}


def _origin(identity):
    return {
        "Id": "o",
        "DomainName": "b.s3.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": identity},
    }


def _distribution(distribution_id, *identities):
    origins = [_origin(f"origin-access-identity/cloudfront/{i}") for i in identities] or [_origin("")]
    return {
        "Id": distribution_id,
        "ARN": f"arn:aws:cloudfront::1:distribution/{distribution_id}",
        "Status": "Deployed",
        "LastModifiedTime": "2026-01-01T00:00:00Z",
        "DomainName": "d.cloudfront.net",
        "Aliases": {"Quantity": 0},
        "Origins": {"Quantity": len(origins), "Items": origins},
        "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "allow-all"},
        "CacheBehaviors": {"Quantity": 0},
        "CustomErrorResponses": {"Quantity": 0},
        "Comment": "",
        "PriceClass": "PriceClass_All",
        "Enabled": True,
        "ViewerCertificate": {},
        "Restrictions": {"GeoRestriction": {"RestrictionType": "none", "Quantity": 0}},
        "WebACLId": "",
        "HttpVersion": "http2",
        "IsIPV6Enabled": True,
        "Staging": False,
    }


def _listing(stub, distributions, identities):
    stub.reply(
        "list_distributions",
        {"DistributionList": {**PAGE, "Quantity": len(distributions), "Items": distributions}},
    )
    items = [{"Id": i, "S3CanonicalUserId": f"c-{i}", "Comment": comment} for i, comment in identities]
    stub.reply(
        "list_cloud_front_origin_access_identities",
        {"CloudFrontOriginAccessIdentityList": {**PAGE, "Quantity": len(items), "Items": items}},
    )


def new_identity(cloudfront, comment):
    config = {"CallerReference": comment, "Comment": comment}
    reply = cloudfront.create_cloud_front_origin_access_identity(CloudFrontOriginAccessIdentityConfig=config)
    return reply["CloudFrontOriginAccessIdentity"]["Id"]


def test_an_identity_waits_for_its_distribution_then_is_deleted_then_gone(aws, account, seed):
    cloudfront = seed("cloudfront")
    used, unused = new_identity(cloudfront, "used"), new_identity(cloudfront, "unused")
    distribution = create(cloudfront, "a", identity=f"origin-access-identity/cloudfront/{used}")
    location = Location(account, GLOBAL_REGION)
    handler = CloudFrontOriginAccessIdentityHandler(aws)
    found = {r.id: r for r in handler.discover(location, ["us-east-1"])}
    assert set(found) == {used, unused}
    # moto's listing drops S3OriginConfig, so no link here (real CloudFront's: the stubbed test below)
    assert found[unused].links == () and found[unused].tags == {} and found[unused].name == "unused"
    outcomes = {o.resource_id: o.kind for o in handler.delete(location, list(found.values()))}
    assert outcomes == {used: OutcomeKind.NOT_YET, unused: OutcomeKind.DONE}  # in use: not yet
    etag = cloudfront.get_distribution_config(Id=distribution)["ETag"]
    cloudfront.delete_distribution(Id=distribution, IfMatch=etag)
    assert [o.kind for o in handler.delete(location, [found[used]])] == [OutcomeKind.DONE]
    assert handler.discover(location, ["us-east-1"]) == []
    assert [o.kind for o in handler.delete(location, [found[used]])] == [OutcomeKind.GONE]


def test_identities_are_linked_to_every_distribution_using_them():
    stub = StubbedClients("cloudfront")
    _listing(
        stub,
        [_distribution("EDIST1", "EUSED"), _distribution("EDIST2", "EUSED"), _distribution("EDIST3")],
        [("EUSED", "site"), ("EFREE", "")],
    )
    found = {r.id: r for r in CloudFrontOriginAccessIdentityHandler(stub).discover(GLOBAL, ["us-east-1"])}
    assert set(found) == {"EUSED", "EFREE"}
    assert found["EUSED"].links == (
        Link("cloudfront:distribution", "EDIST1", "used by"),
        Link("cloudfront:distribution", "EDIST2", "used by"),
    )
    assert found["EUSED"].name == "site" and found["EFREE"].name is None
    assert found["EFREE"].links == () and found["EFREE"].tags == {}


def test_an_identity_is_deleted_with_its_current_etag():
    stub = StubbedClients("cloudfront")
    stub.reply(
        "get_cloud_front_origin_access_identity",
        {"CloudFrontOriginAccessIdentity": {"Id": "EFREE", "S3CanonicalUserId": "c"}, "ETag": "ETAG7"},
        {"Id": "EFREE"},
    )
    stub.reply("delete_cloud_front_origin_access_identity", {}, {"Id": "EFREE", "IfMatch": "ETAG7"})
    identity = Resource("cloudfront:origin-access-identity", "EFREE", "1", GLOBAL_REGION)
    assert [o.kind for o in CloudFrontOriginAccessIdentityHandler(stub).delete(GLOBAL, [identity])] == [
        OutcomeKind.DONE
    ]
    stub.stubber.assert_no_pending_responses()


def test_an_identity_already_deleted_is_gone():
    stub = StubbedClients("cloudfront")
    stub.error("get_cloud_front_origin_access_identity", "NoSuchCloudFrontOriginAccessIdentity", "gone")
    identity = Resource("cloudfront:origin-access-identity", "EFREE", "1", GLOBAL_REGION)
    assert [o.kind for o in CloudFrontOriginAccessIdentityHandler(stub).delete(GLOBAL, [identity])] == [
        OutcomeKind.GONE
    ]


def test_an_identity_still_in_use_is_not_yet_deleted():
    """Real CloudFront refuses to delete an identity a distribution still uses."""
    stub = StubbedClients("cloudfront")
    stub.reply(
        "get_cloud_front_origin_access_identity",
        {"CloudFrontOriginAccessIdentity": {"Id": "EUSED", "S3CanonicalUserId": "c"}, "ETag": "ETAG"},
    )
    stub.error("delete_cloud_front_origin_access_identity", "CloudFrontOriginAccessIdentityInUse", "in use")
    identity = Resource("cloudfront:origin-access-identity", "EUSED", "1", GLOBAL_REGION)
    [result] = CloudFrontOriginAccessIdentityHandler(stub).delete(GLOBAL, [identity])
    assert result.kind is OutcomeKind.NOT_YET
