// A request to a server the mini game has not listed among its request domains.
wx.request({
  url: 'https://unlisted.example.org/api/scores',
  success: function (res) {
    GameGlobal.outcome = { success: res.statusCode }
  },
  fail: function (res) {
    GameGlobal.outcome = res
  },
})
