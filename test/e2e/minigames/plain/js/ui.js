// Drawing and hit tests on the 2d canvas, in the window's coordinates.
function Button(x, y, width, height, label) {
  this.x = x
  this.y = y
  this.width = width
  this.height = height
  this.label = label
}

Button.prototype.contains = function (x, y) {
  return x >= this.x && x <= this.x + this.width && y >= this.y && y <= this.y + this.height
}

function draw(ctx, width, height, bus, button) {
  ctx.fillStyle = '#14213d'
  ctx.fillRect(0, 0, width, height)
  ctx.fillStyle = '#ffffff'
  ctx.textAlign = 'center'
  ctx.font = 'bold 28px sans-serif'
  ctx.fillText('Plain Mini Game', width / 2, 120)
  ctx.font = '16px sans-serif'
  ctx.fillText(bus.message, width / 2, 170)
  ctx.fillText('Launches: ' + bus.launches + '   Gem packs: ' + bus.owned, width / 2, 200)
  ctx.fillStyle = bus.busy || bus.status !== 'ready' ? '#5c677d' : '#fca311'
  ctx.fillRect(button.x, button.y, button.width, button.height)
  ctx.fillStyle = '#000000'
  ctx.font = 'bold 20px sans-serif'
  ctx.fillText(button.label, button.x + button.width / 2, button.y + button.height / 2 + 7)
}

module.exports = { Button: Button, draw: draw }
