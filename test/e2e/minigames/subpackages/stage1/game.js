var level = require('./level')
GameGlobal.stage1 = 'stage 1 with ' + level.gems + ' gems'
