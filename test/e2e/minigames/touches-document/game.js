// A web game's habit that a mini game cannot have: it draws, then reaches for the page.
var canvas = wx.createCanvas()
canvas.getContext('2d').fillRect(0, 0, 10, 10)
var hud = document.createElement('div')
hud.textContent = 'never shown'
