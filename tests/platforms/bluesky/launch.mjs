// A real Bluesky PDS (with its PLC directory, no AppView) for the adapter's contract tests:
// @atproto/dev-env's TestNetworkNoAppView, on 127.0.0.1 only. Prints one JSON line with the
// PDS's URL once it serves, and stops when its standard input closes or on SIGTERM.
// Run by tests/platforms/bluesky/conftest.py with the Node.js 22 installed in var/platforms/.
import net from 'node:net'

// Every server dev-env starts listens on a port only (all interfaces): keep them on loopback.
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && typeof args[1] !== 'string') {
    args.splice(1, 0, '127.0.0.1')
  }
  return listen.apply(this, args)
}

const { TestNetworkNoAppView } = await import('@atproto/dev-env')
const network = await TestNetworkNoAppView.create({})
process.stdout.write(
  JSON.stringify({ pds: network.pds.url.replace('localhost', '127.0.0.1'), plc: network.plc.url }) +
    '\n',
)

let closing = false
const stop = async () => {
  if (closing) return
  closing = true
  try {
    await network.close()
  } finally {
    process.exit(0)
  }
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
process.stdin.on('end', stop)
process.stdin.on('close', stop)
process.stdin.resume()
