/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.css'

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'h5' | 'swan' | 'alipay' | 'tt' | 'qq' | 'jd'
    /** The API's origin for the weapp build (https://…); empty on H5, which uses its own origin. */
    TARO_APP_API_BASE: string
  }
}
