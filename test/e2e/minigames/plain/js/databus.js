// The game's state, in one place (the layout of WeChat's mini game template).
function DataBus() {
  this.status = 'starting'
  this.message = 'Signing in…'
  this.token = ''
  this.launches = 0
  this.owned = 0
  this.lastPayment = null
  this.busy = false
}

module.exports = DataBus
