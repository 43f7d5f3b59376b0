module.exports = { gems: 12 }
