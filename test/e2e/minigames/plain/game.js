// A mini game as the platform documents one: no DOM, only wx and GameGlobal.
var config = require('./config')
var DataBus = require('./js/databus')
var ui = require('./js/ui')

var info = wx.getSystemInfoSync()
var canvas = wx.createCanvas()
var ctx = canvas.getContext('2d')
canvas.width = info.windowWidth * info.pixelRatio
canvas.height = info.windowHeight * info.pixelRatio
ctx.scale(info.pixelRatio, info.pixelRatio)

var bus = new DataBus()
bus.buyButton = new ui.Button(info.windowWidth / 2 - 110, info.windowHeight - 200, 220, 64, 'Buy gem pack')
GameGlobal.databus = bus

// Storage survives a restart of the game.
bus.launches = (wx.getStorageSync('launches') || 0) + 1
wx.setStorageSync('launches', bus.launches)

function api(method, path, data, done) {
  wx.request({
    url: config.server + path,
    method: method,
    data: data,
    header: bus.token ? { authorization: 'Bearer ' + bus.token } : {},
    success: function (res) {
      if (res.statusCode === 200) done(null, res.data)
      else done(new Error(path + ' answered ' + res.statusCode))
    },
    fail: function (res) {
      done(new Error(res.errMsg))
    },
  })
}

function refreshInventory(done) {
  api('GET', '/api/inventory', undefined, function (error, inventory) {
    if (!error) {
      var pack = inventory.items.filter(function (item) { return item.productId === config.productId })[0]
      bus.owned = pack ? pack.quantity : 0
    }
    if (done) done(error, inventory)
  })
}

wx.login({
  success: function (login) {
    api('POST', '/api/login', { code: login.code }, function (error, session) {
      if (error) {
        bus.status = 'error'
        bus.message = 'Sign-in failed: ' + error.message
        return
      }
      bus.token = session.token
      refreshInventory(function () {
        bus.status = 'ready'
        bus.message = 'Tap the button to buy'
      })
    })
  },
  fail: function (res) {
    bus.status = 'error'
    bus.message = res.errMsg
  },
})

function waitForDelivery(outTradeNo, triesLeft) {
  refreshInventory(function (error, inventory) {
    var granted = !error && inventory.grants.some(function (grant) { return grant.outTradeNo === outTradeNo })
    if (granted || triesLeft <= 0) {
      bus.busy = false
      bus.message = granted ? 'Delivered!' : 'Paid, still on its way'
      return
    }
    setTimeout(function () { waitForDelivery(outTradeNo, triesLeft - 1) }, 300)
  })
}

function buy() {
  bus.busy = true
  bus.message = 'Preparing the order…'
  api('POST', '/api/orders', { productId: config.productId }, function (error, order) {
    if (error) {
      bus.busy = false
      bus.message = 'Order failed: ' + error.message
      return
    }
    wx.requestMidasPaymentGameItem({
      signData: order.signData,
      paySig: order.paySig,
      signature: order.signature,
      success: function (res) {
        bus.lastPayment = res
        bus.message = 'Paid, waiting for delivery…'
        wx.showToast({ title: 'Paid', icon: 'success' })
        waitForDelivery(order.outTradeNo, 60)
      },
      fail: function (res) {
        bus.lastPayment = res
        bus.busy = false
        bus.message = 'Payment failed: ' + res.errCode
      },
    })
  })
}

wx.onTouchStart(function (event) {
  var touch = event.changedTouches[0]
  if (bus.status === 'ready' && !bus.busy && bus.buyButton.contains(touch.clientX, touch.clientY)) buy()
})

function frame() {
  ui.draw(ctx, info.windowWidth, info.windowHeight, bus, bus.buyButton)
  requestAnimationFrame(frame)
}
requestAnimationFrame(frame)
