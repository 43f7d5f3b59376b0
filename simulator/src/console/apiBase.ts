/** Where the console's REST API is mounted, below any sandbox prefix. A module of its own so the console page can import it without the server. */
export const CONSOLE_API_BASE = '/console/api/v1'
