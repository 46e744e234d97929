"""Loads a moto_server (EC2 endpoint given as argv[1]) with the aws_ec2 test world through boto3:
two VPCs with a subnet each, tagged instances running and stopped. Prints the instance ids as JSON."""
import json
import sys

import boto3

ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=sys.argv[1],
                   aws_access_key_id="testing", aws_secret_access_key="testing")
image = ec2.describe_images()["Images"][0]["ImageId"]
vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
other_vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
other_subnet = ec2.create_subnet(VpcId=other_vpc, CidrBlock="10.9.1.0/24", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]


def launch(subnet_id, ip, tags):
    out = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro", SubnetId=subnet_id,
                            PrivateIpAddress=ip,
                            TagSpecifications=[{"ResourceType": "instance",
                                                "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}])
    return out["Instances"][0]["InstanceId"]


ids = {
    "r1": launch(subnet, "10.0.1.10", {"Name": "r1", "Role": "router", "Env": "prod"}),
    "r2": launch(subnet, "10.0.1.11", {"Name": "r2", "Role": "router", "Env": "prod"}),
    "app1": launch(subnet, "10.0.1.70", {"Name": "app1", "Role": "host", "Env": "prod", "Team": "web.front-end"}),
    "noname": launch(subnet, "10.0.1.71", {"Role": "host", "Env": "prod"}),
    "old": launch(subnet, "10.0.1.72", {"Name": "old", "Role": "host", "Env": "prod"}),
    "dev1": launch(other_subnet, "10.9.1.5", {"Name": "dev1", "Role": "host", "Env": "dev"}),
}
ec2.stop_instances(InstanceIds=[ids["old"]])
print(json.dumps({"ids": ids, "vpc": vpc, "subnet": subnet, "other_vpc": other_vpc}))
