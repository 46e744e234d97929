#!/bin/sh
# Run by the Vagrantfile's trigger once r2 (the last machine) is up: imports the machines'
# SSH settings into an inventory beside the topology's group_vars, then applies the site playbook.
set -eu
cd "$(dirname "$0")/.."
npx prov inventory vagrant > vagrant/inventory/hosts.yml
npx prov apply vagrant/inventory/hosts.yml playbooks/site.yml
