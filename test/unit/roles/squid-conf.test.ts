/** The router's squid.conf: SNI/Host allow list, peek-and-splice only, and a log line that names the client and the domain. */
import test from 'ava';
import { labVars, render } from './render.js';

const squid = (vars: Record<string, unknown> = {}) =>
  render({ role: 'router', template: 'squid.conf.ejs', vars: { ...labVars('r1'), squid_enabled: true, ...vars } });

test('allowed domains become the Host and SNI lists; TLS is only peeked, spliced or terminated', (t) => {
  const text = squid({ squid_allowed_domains: ['allowed.example.test', '.example.org'] });
  t.regex(text, /^acl allowed_domains dstdomain allowed\.example\.test \.example\.org$/m);
  t.regex(text, /^acl allowed_sni ssl::server_name allowed\.example\.test \.example\.org$/m);
  t.regex(text, /^ssl_bump peek step1\nssl_bump splice allowed_sni\nssl_bump terminate all$/m);
  t.notRegex(text, /ssl_bump (bump|stare)/, 'never decrypts');
  t.regex(text, /^http_port 3129 intercept name=http_intercept$/m);
  t.regex(text, /^https_port 3130 intercept ssl-bump name=https_intercept tls-cert=\/etc\/squid\/prov-bump\.pem$/m);
});

test('the access log format keeps squid\'s %>a (client address): EJS must not eat the "%>"', (t) => {
  t.regex(squid().replace(/\r/g, ''), /^logformat prov %ts\.%03tu %>a %Ss\/%03>Hs %rm %ru sni=%ssl::>sni %Sh\/%<a$/m);
});

test('an empty allow list denies every web request', (t) => {
  const text = squid({ squid_allowed_domains: [] });
  t.regex(text, /^acl allowed_domains dstdomain \.invalid$/m);
  t.regex(text, /^http_access deny all$/m);
});
