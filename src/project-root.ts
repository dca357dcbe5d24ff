// The project's folder (where views/, static/ and migrations/ are), whether this code runs
// from src/ through tsx or compiled, from dist/src/ (`npm run build`).
import path from 'node:path'

const here = import.meta.dirname
export const PROJECT_ROOT = path.basename(path.dirname(here)) === 'dist' ? path.resolve(here, '../..') : path.resolve(here, '..')
