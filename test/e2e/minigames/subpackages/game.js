// A landscape game whose first stage is a subpackage, loaded on demand.
var info = wx.getSystemInfoSync()
var report = (GameGlobal.report = { width: info.windowWidth, height: info.windowHeight, statusBarHeight: info.statusBarHeight })

try {
  require('./stage1/game.js')
  report.beforeLoad = 'required'
} catch (error) {
  report.beforeLoad = error.message
}

var task = wx.loadSubpackage({
  name: 'stage1',
  success: function (res) {
    report.loaded = res.errMsg
    report.stage = GameGlobal.stage1
  },
  fail: function (res) {
    report.loaded = res.errMsg
  },
})
task.onProgressUpdate(function (progress) {
  report.progress = progress.progress
})

wx.loadSubpackage({
  name: 'stage9',
  fail: function (res) {
    report.missing = res.errMsg
  },
})

// What the simulator's runtime lacks reads as undefined, as on a host without it.
report.canIUseRequest = wx.canIUse('request')
report.canIUseButton = wx.canIUse('createUserInfoButton')
report.typeofButton = typeof wx.createUserInfoButton

// Storage, the asynchronous calls.
report.missingSync = wx.getStorageSync('never-set')
wx.getStorage({
  key: 'never-set',
  fail: function (res) {
    report.missingAsync = res.errMsg
  },
})
wx.setStorage({ key: 'level', data: { best: 3, at: new Date(0) } })
  .then(function () {
    return wx.getStorage({ key: 'level' })
  })
  .then(function (res) {
    report.stored = { best: res.data.best, at: res.data.at instanceof Date && res.data.at.getTime(), errMsg: res.errMsg }
  })

// The host draws the modal; the game gets the player's answer.
wx.showModal({
  title: 'Stage 1',
  content: 'Start the first stage?',
  success: function (res) {
    report.modal = { confirm: res.confirm, cancel: res.cancel, errMsg: res.errMsg }
  },
})

// The app's life cycle: the host hides and shows the game with the player's tab.
report.lifecycle = []
wx.onHide(function () {
  report.lifecycle.push('hide')
})
wx.onShow(function (res) {
  report.lifecycle.push('show ' + typeof res.query)
})
