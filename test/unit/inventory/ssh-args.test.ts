import test from 'ava';
import { ProvError } from '../../../src/core/errors.js';
import { connectionOf } from '../../../src/inventory/connection.js';
import { parseJumpHost, parseSshArgs } from '../../../src/inventory/ssh-args.js';
import { expandProxyCommand } from '../../../src/transport/proxy-command.js';

const args = (common: string, extra?: string) =>
  parseSshArgs({ ansible_ssh_common_args: common, ...(extra === undefined ? {} : { ansible_ssh_extra_args: extra }) }, 'h', 'me');

test('ProxyJump in every spelling ssh accepts', (t) => {
  const one = { kind: 'jump', hops: [{ user: 'ops', address: 'bastion.example', port: 2222 }] };
  t.deepEqual(args('-o ProxyJump=ops@bastion.example:2222').proxy, one);
  t.deepEqual(args('-oProxyJump=ops@bastion.example:2222').proxy, one);
  t.deepEqual(args("-o 'ProxyJump ops@bastion.example:2222'").proxy, one);
  t.deepEqual(args("-o 'proxyjump = ops@bastion.example:2222'").proxy, one, 'option names are case-insensitive, "=" may have spaces');
  t.deepEqual(args('-J ops@bastion.example:2222').proxy, one);
  t.deepEqual(args('-Jops@bastion.example:2222').proxy, one);
  t.deepEqual(args('-J ssh://ops@bastion.example:2222').proxy, one);
  t.deepEqual(args('-J bastion').proxy, { kind: 'jump', hops: [{ user: 'me', address: 'bastion', port: 22 }] }, "the controller's user, port 22");
  t.deepEqual(args('-J a@[fd00::1]:2200,b').proxy, {
    kind: 'jump',
    hops: [
      { user: 'a', address: 'fd00::1', port: 2200 },
      { user: 'me', address: 'b', port: 22 },
    ],
  });
});

test('ProxyCommand keeps its words and %-tokens for the transport', (t) => {
  t.deepEqual(args('-o ProxyCommand="ssh -W %h:%p -q ops@gw"').proxy, { kind: 'command', command: 'ssh -W %h:%p -q ops@gw' });
  t.is(expandProxyCommand('ssh -W %h:%p -l %r %n 100%%', { address: '10.0.1.5', port: 22, user: 'admin' }), 'ssh -W 10.0.1.5:22 -l admin 10.0.1.5 100%');
});

test('the first ProxyJump or ProxyCommand wins, common args before extra args; none disables', (t) => {
  t.deepEqual(args('-o ProxyCommand=nc\\ %h\\ %p', '-J b').proxy, { kind: 'command', command: 'nc %h %p' });
  t.deepEqual(args('-J a', '-o ProxyCommand=x').proxy, { kind: 'jump', hops: [{ user: 'me', address: 'a', port: 22 }] });
  t.is(args('-o ProxyJump=none -J a').proxy, null);
  t.is(connectionOf({ ansible_ssh_common_args: '-o ProxyCommand=none -J a' }, 'h').proxy, undefined);
});

test('options prov has no use for are accepted; UserKnownHostsFile is still read', (t) => {
  const parsed = args(
    '-C -q -o ControlMaster=auto -o ControlPersist=60s -o StrictHostKeyChecking=no -o IdentitiesOnly=yes -o UserKnownHostsFile=/kh -o ForwardAgent=no',
  );
  t.deepEqual(parsed, { knownHostsFile: '/kh' });
});

const refused: Array<[string, RegExp]> = [
  ['-o ForwardAgent=yes', /^host 'h': ansible_ssh_common_args: ssh option 'forwardagent' is not supported by prov's SSH transport/],
  ['-o LocalForward=8080:x:80', /ssh option 'localforward' is not supported/],
  ['-o User=root', /ssh option user is not read from ssh arguments; set ansible_user/],
  ['-p 2222', /ssh flag -p is not read from ssh arguments; set ansible_port/],
  ['-i key', /set ansible_ssh_private_key_file/],
  ['-L 80:x:80', /ssh argument '-L' is not supported/],
  ['-o ProxyJump=@b', /ProxyJump '@b' is not \[user@\]host\[:port\]/],
  ['-J b:99999', /ProxyJump 'b:99999' is not/],
  ['-o ProxyCommand="nc %h %d"', /ProxyCommand token %d is not supported/],
  ['-o', /ssh option -o needs a value/],
  ['-o ProxyJump', /has no value/],
  ['-o "ProxyJump=a', /split into words \(No closing quotation\)/],
];
for (const [text, message] of refused) {
  test(`refused at load time: ${text}`, (t) => {
    const err = t.throws(() => args(text), { message });
    t.true(err instanceof ProvError && err.kind === 'parse');
  });
}

test('a malformed jump host names itself', (t) => {
  t.throws(() => parseJumpHost('a@', 'me'), { message: /ProxyJump 'a@'/ });
});

test('connectionOf carries the proxy', (t) => {
  const c = connectionOf({ ansible_host: '10.0.1.5', ansible_user: 'admin', ansible_ssh_common_args: '-o ProxyJump=ec2-user@203.0.113.7' }, 'h');
  t.deepEqual(c.proxy, { kind: 'jump', hops: [{ user: 'ec2-user', address: '203.0.113.7', port: 22 }] });
});
