// The process around the app: config, logger, listen, graceful shutdown. Nothing else.
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { seedDemoIfEmpty } from './features/demo/demo.seed.js'
import { redactUrlSecrets } from './lib/redact.js'

let config
try {
  config = loadConfig()
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  process.stderr.write(`Configuration error: ${error.message}\n`)
  process.exit(1)
}

const app = await buildApp(config, {
  logger: {
    level: config.logLevel,
    // Cookies carry the session; never write them (or auth headers) to the log.
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    // A personal calendar's address is its secret: never write it to the log.
    serializers: {
      req(request) {
        return { method: request.method, url: redactUrlSecrets(request.url), host: request.host, remoteAddress: request.ip }
      },
    },
  },
})

if (config.demo) {
  const logins = await seedDemoIfEmpty(app.db, new Date())
  // Printed once, to the console only: the passwords are random and stored nowhere in clear.
  for (const login of logins) process.stdout.write(`demo login: ${login.email} ${login.password} (${login.role})\n`)
}

let closing = false
async function shutdown(signal: string): Promise<void> {
  if (closing) return
  closing = true
  app.log.info({ signal }, 'shutting down: finishing in-flight requests')
  // close() stops accepting connections, waits for in-flight requests, then runs the
  // onClose hooks (which close the database).
  const timer = setTimeout(() => {
    app.log.error('shutdown took longer than 10 s; exiting')
    process.exit(1)
  }, 10_000)
  timer.unref()
  try {
    await app.close()
    process.exit(0)
  } catch (error) {
    app.log.error({ err: error }, 'error while shutting down')
    process.exit(1)
  }
}
process.once('SIGTERM', () => void shutdown('SIGTERM'))
process.once('SIGINT', () => void shutdown('SIGINT'))

const address = await app.listen({ port: config.port, host: config.host })
app.log.info(`Hashcamp is ready at ${config.port === 0 ? address : config.baseUrl}`)
