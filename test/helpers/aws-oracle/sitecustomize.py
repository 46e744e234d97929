"""Loaded by python (PYTHONPATH) for the ansible-inventory oracle: amazon.aws 5.5.1's aws_ec2
inventory plugin has no endpoint_url option and Debian's boto3 1.26 ignores AWS_ENDPOINT_URL, so
every boto3 client it makes is pointed at the moto_server of PROV_ORACLE_EC2_ENDPOINT here. The
test also sets HTTP(S)_PROXY to a closed loopback port: a client this misses fails on loopback
instead of reaching the real cloud."""
import os

import boto3.session

_client = boto3.session.Session.client


def _loopback_client(self, *args, **kwargs):
    kwargs["endpoint_url"] = os.environ["PROV_ORACLE_EC2_ENDPOINT"]
    return _client(self, *args, **kwargs)


boto3.session.Session.client = _loopback_client
