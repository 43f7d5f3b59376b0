import { EventBoundary, FederatedPointerEvent, type Container } from 'pixi.js'
import { wx } from './wx'

type WxTouchEvent = { touches: WechatMinigame.Touch[]; changedTouches: WechatMinigame.Touch[] }

/**
 * The platform's touches (wx.onTouchStart/Move/End/Cancel) as pixi pointer events on the
 * stage: what pixi's EventSystem does with a page's pointer events, without a DOM. The
 * scene's `pointerdown` / `pointertap` handlers run unchanged.
 */
export function routeTouches(stage: Container): void {
  const boundary = new EventBoundary(stage)
  const send = (type: string, touch: WechatMinigame.Touch, event: WxTouchEvent) => {
    const pointer = new FederatedPointerEvent(boundary)
    pointer.type = type
    pointer.pointerId = touch.identifier
    pointer.pointerType = 'touch'
    pointer.isPrimary = event.touches.length <= 1
    pointer.button = 0
    pointer.buttons = type === 'pointerdown' || type === 'pointermove' ? 1 : 0
    pointer.width = 1
    pointer.height = 1
    pointer.pressure = touch.force
    pointer.client.set(touch.clientX, touch.clientY)
    pointer.page.set(touch.pageX, touch.pageY)
    pointer.screen.copyFrom(pointer.client)
    pointer.global.copyFrom(pointer.client)
    pointer.offset.copyFrom(pointer.client)
    pointer.timeStamp = performance.now()
    pointer.nativeEvent = touch as unknown as PointerEvent
    boundary.rootTarget = stage
    boundary.mapEvent(pointer)
  }
  const each = (type: string) => (event: WxTouchEvent) => {
    for (const touch of event.changedTouches) send(type, touch, event)
  }
  wx.onTouchStart(each('pointerdown'))
  wx.onTouchMove(each('pointermove'))
  wx.onTouchEnd(each('pointerup'))
  // The system took the finger: pixi's nearest is a release outside anything.
  wx.onTouchCancel(each('pointerupoutside'))
}
