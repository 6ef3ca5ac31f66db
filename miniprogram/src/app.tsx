import { PropsWithChildren } from 'react'
import { useLaunch } from '@tarojs/taro'

import { openFromLaunch } from './lib/launch'
import './app.css'

function App({ children }: PropsWithChildren) {
  // A Mini Program code or a shared link names its product (scene=p=<id>).
  useLaunch((options) => openFromLaunch(options))
  return children
}

export default App
