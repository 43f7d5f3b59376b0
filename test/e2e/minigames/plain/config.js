// The game's server. Its own server rewrites this file when it serves the package.
module.exports = { server: 'http://127.0.0.1:7071', productId: 'gem_pack_small' }
