/**
 * How sandboxes (and fixtures) are named. A module of its own so the scenario files' schema
 * and the CLI can check a name without loading the simulator.
 */
export const DEFAULT_SANDBOX = 'default'
/** Names of sandboxes and of fixtures: they appear in URL paths and file names. */
export const SANDBOX_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/
export const SANDBOX_NAME_RULE = 'names are lower-case letters, digits, _ and - (at most 63), starting with a letter or digit'
