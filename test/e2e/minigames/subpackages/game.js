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
