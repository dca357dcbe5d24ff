import path from 'node:path'
import fastifyStatic from '@fastify/static'
import fp from 'fastify-plugin'
import { PROJECT_ROOT } from '../project-root.js'

export const STATIC_DIR = path.join(PROJECT_ROOT, 'static')

/** static/ under /static/. A reverse proxy may serve it instead in production. */
export default fp(
  async (app) => {
    await app.register(fastifyStatic, { root: STATIC_DIR, prefix: '/static/', maxAge: '1h', index: false })
  },
  { name: 'static' },
)
