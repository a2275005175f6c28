"""What the resource handlers share: the boto3 base class, the stop/start toggle, service helpers.

Kept out of `handlers` so that every module there is one handler, independent of the others.
"""
