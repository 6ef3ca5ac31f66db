import { View } from '@tarojs/components'

import type { ProductCard as Card } from '../../api/types'
import { ProductCard } from '../product-card'
import './index.css'

/** Products in two columns. */
export function ProductGrid({ products }: { products: Card[] }) {
  return (
    <View className="pgrid">
      {products.map((product) => (
        <ProductCard key={product.id} product={product} />
      ))}
    </View>
  )
}
