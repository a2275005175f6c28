from costzero.application.selection import resolve_regions


def test_all_regions_are_the_enabled_regions_of_the_callers_partition(aws):
    regions = aws.enabled_regions()
    assert aws.partition() == "aws"
    assert {"us-east-1", "eu-west-1"} <= set(regions)
    assert not [r for r in regions if r.startswith(("cn-", "us-gov-"))]  # moto lists them; we do not
    assert resolve_regions(aws, ("all",)) == regions
