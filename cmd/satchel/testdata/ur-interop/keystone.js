// keystone.js: Keystone's own UR code (@keystonehq/bc-ur-registry, on @ngraveio/bc-ur) on the
// other side of satchel's UR interop test (cmd/satchel/ur_interop_test.go).
//
//   node keystone.js decode            UR parts on stdin, one per line, until the PSBT is whole;
//                                      prints {"psbt_hex", "parts_used"} as JSON
//   node keystone.js encode MAX COUNT  a PSBT in hex on stdin; prints COUNT crypto-psbt parts
//                                      of fragments of at most MAX bytes, one per line
// NODE_PATH must point at the node_modules folder the package was installed in.
'use strict';
const { CryptoPSBT, URRegistryDecoder } = require('@keystonehq/bc-ur-registry');

const input = require('fs').readFileSync(0, 'utf8');
const mode = process.argv[2];

if (mode === 'decode') {
  const decoder = new URRegistryDecoder();
  let used = 0;
  for (const raw of input.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    used++;
    decoder.receivePart(line);
    if (decoder.isComplete()) break;
  }
  if (!decoder.isComplete()) {
    console.error(`incomplete after ${used} parts: ${decoder.getProgress()}`);
    process.exit(1);
  }
  if (!decoder.isSuccess()) {
    console.error(`decode failed: ${decoder.resultError()}`);
    process.exit(1);
  }
  const ur = decoder.resultUR();
  if (ur.type !== 'crypto-psbt') {
    console.error(`decoded a ${ur.type}, not a crypto-psbt`);
    process.exit(1);
  }
  const psbt = CryptoPSBT.fromCBOR(ur.cbor).getPSBT();
  console.log(JSON.stringify({ psbt_hex: psbt.toString('hex'), parts_used: used }));
} else if (mode === 'encode') {
  const max = parseInt(process.argv[3], 10);
  const count = parseInt(process.argv[4], 10);
  const psbt = Buffer.from(input.trim(), 'hex');
  const encoder = new CryptoPSBT(psbt).toUREncoder(max);
  for (let i = 0; i < count; i++) console.log(encoder.nextPart());
} else {
  console.error('usage: node keystone.js decode | encode MAX COUNT');
  process.exit(2);
}
