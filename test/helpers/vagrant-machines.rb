# Prints, as JSON, what the installed Vagrant makes of a Vagrantfile for the libvirt provider:
# per machine its box, networks and `after` triggers, and whether machines come up in parallel.
# Usage: ruby vagrant-machines.rb DIR (the directory of the Vagrantfile).
require "vagrant"
require "json"

env = Vagrant::Environment.new(cwd: ARGV.fetch(0))
machines = env.machine_names.map do |name|
  config = env.vagrantfile.machine_config(name, :libvirt, env.boxes)[:config]
  networks = config.vm.networks.map { |type, options| { type: type, options: options.reject { |key, _| key == :id } } }
  triggers = config.trigger.after_triggers.map do |t|
    { command: t.command, name: t.name, run: t.run && { path: t.run.path, inline: t.run.inline } }
  end
  { name: name, box: config.vm.box, hostname: config.vm.hostname, networks: networks, after: triggers }
end
puts JSON.generate(machines: machines, no_parallel: ENV["VAGRANT_NO_PARALLEL"])
