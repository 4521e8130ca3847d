// Preloaded into a child process (node --require) by the privacy tests: every way Node can
// open an outbound connection or resolve a name is replaced by a function that records the
// attempt in the file named by CASENOTE_NETLOG and then fails.
const fs = require('node:fs');
const log = process.env.CASENOTE_NETLOG;
function deny(what) {
  return function denied() {
    if (log) fs.appendFileSync(log, `${what}\n`);
    throw new Error(`network access denied in test: ${what}`);
  };
}
const net = require('node:net');
net.Socket.prototype.connect = deny('net.Socket.connect');
net.connect = net.createConnection = deny('net.connect');
const tls = require('node:tls');
tls.connect = deny('tls.connect');
const dns = require('node:dns');
for (const k of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) dns[k] = deny(`dns.${k}`);
if (dns.promises) for (const k of ['lookup', 'resolve', 'resolve4', 'resolve6']) dns.promises[k] = deny(`dns.promises.${k}`);
for (const m of ['node:http', 'node:https', 'node:http2']) {
  const mod = require(m);
  if (mod.request) mod.request = deny(`${m}.request`);
  if (mod.get) mod.get = deny(`${m}.get`);
  if (mod.connect) mod.connect = deny(`${m}.connect`);
}
if (typeof globalThis.fetch === 'function') globalThis.fetch = deny('fetch');
const dgram = require('node:dgram');
dgram.createSocket = deny('dgram.createSocket');
