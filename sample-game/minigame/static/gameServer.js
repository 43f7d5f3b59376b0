// The game server's address. The sample server rewrites this file with its own when it serves the package.
module.exports = 'http://127.0.0.1:7071'
