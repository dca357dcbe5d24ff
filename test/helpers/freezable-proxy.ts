// A TCP proxy between the app and PostgreSQL that can make chosen connections go silent: the
// sockets stay open and nothing flows either way, as when a NAT or firewall forgets a
// connection or a failover strands it. No reset, no error: only a question without an answer
// gives it away.
import net from 'node:net'

interface Pair {
  client: net.Socket
  server: net.Socket
  /** The start of what the client sent: its startup message names the application. */
  hello: string
  frozen: boolean
}

export interface FreezableProxy {
  /** The database URL with the proxy in place of the server. */
  url: string
  /** Silences every open connection whose startup message mentions `text`; returns how many. */
  freeze(text: string): number
  close(): Promise<void>
}

export async function startFreezableProxy(databaseUrl: string): Promise<FreezableProxy> {
  const target = new URL(databaseUrl)
  const pairs = new Set<Pair>()
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname)
    const pair: Pair = { client, server: upstream, hello: '', frozen: false }
    pairs.add(pair)
    client.on('data', (chunk: Buffer) => {
      if (pair.hello.length < 1024) pair.hello += chunk.toString('latin1')
      if (!pair.frozen) upstream.write(chunk)
    })
    upstream.on('data', (chunk: Buffer) => {
      if (!pair.frozen) client.write(chunk)
    })
    const end = () => {
      pairs.delete(pair)
      client.destroy()
      upstream.destroy()
    }
    client.on('close', end)
    upstream.on('close', end)
    client.on('error', end)
    upstream.on('error', end)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const proxied = new URL(databaseUrl)
  proxied.hostname = '127.0.0.1'
  proxied.port = String((server.address() as net.AddressInfo).port)
  return {
    url: proxied.toString(),
    freeze(text) {
      let count = 0
      for (const pair of pairs) {
        if (!pair.frozen && pair.hello.includes(text)) {
          pair.frozen = true
          count += 1
        }
      }
      return count
    },
    async close() {
      for (const pair of pairs) {
        pair.client.destroy()
        pair.server.destroy()
      }
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
