<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AreaTool</name>
    <message>
        <location filename="../../ui/map/area_tool.py" line="201"/>
        <location filename="../../ui/map/area_tool.py" line="308"/>
        <source>radius {0} km</source>
        <translation>半径 {0} 公里</translation>
    </message>
    <message>
        <location filename="../../ui/map/area_tool.py" line="202"/>
        <location filename="../../ui/map/area_tool.py" line="322"/>
        <source>{0} points</source>
        <translation>{0} 个顶点</translation>
    </message>
    <message>
        <location filename="../../ui/map/area_tool.py" line="227"/>
        <source>Affected area</source>
        <translation>影响范围</translation>
    </message>
    <message>
        <location filename="../../ui/map/area_tool.py" line="234"/>
        <source>Drawn, not saved</source>
        <translation>已绘制，未保存</translation>
    </message>
    <message>
        <location filename="../../ui/map/area_tool.py" line="257"/>
        <source>Circle: press at the centre and drag to the radius. Esc cancels.</source>
        <translation>圆形：在中心点按下鼠标，拖到半径处松开。Esc 取消。</translation>
    </message>
    <message>
        <location filename="../../ui/map/area_tool.py" line="261"/>
        <source>Polygon: click each corner; double-click or Enter finishes (three corners at least); Backspace removes the last corner; Esc cancels.</source>
        <translation>多边形：逐个点击顶点；双击或按 Enter 完成（至少三个顶点）；Backspace 删除最后一个顶点；Esc 取消。</translation>
    </message>
    <message>
        <location filename="../../ui/map/area_tool.py" line="342"/>
        <source>A polygon needs at least three corners: keep clicking, or Esc.</source>
        <translation>多边形至少需要三个顶点：请继续点击，或按 Esc 取消。</translation>
    </message>
    <message>
        <location filename="../../ui/map/area_tool.py" line="416"/>
        <source>Drag from the centre to the radius before releasing. Esc cancels.</source>
        <translation>请从中心点拖到半径处再松开。Esc 取消。</translation>
    </message>
</context>
<context>
    <name>CompareChart</name>
    <message>
        <location filename="../../ui/charts/compare.py" line="70"/>
        <source>Parameter</source>
        <translation>参数</translation>
    </message>
    <message>
        <location filename="../../ui/charts/compare.py" line="74"/>
        <source>6 h</source>
        <translation>6 小时</translation>
    </message>
    <message>
        <location filename="../../ui/charts/compare.py" line="75"/>
        <source>24 h</source>
        <translation>24 小时</translation>
    </message>
    <message>
        <location filename="../../ui/charts/compare.py" line="76"/>
        <source>7 d</source>
        <translation>7 天</translation>
    </message>
    <message>
        <location filename="../../ui/charts/compare.py" line="77"/>
        <source>30 d</source>
        <translation>30 天</translation>
    </message>
    <message>
        <location filename="../../ui/charts/compare.py" line="78"/>
        <source>1 year</source>
        <translation>1 年</translation>
    </message>
    <message>
        <location filename="../../ui/charts/compare.py" line="106"/>
        <source>At most %1 stations can be compared</source>
        <translation>最多对比 %1 个站点</translation>
    </message>
    <message>
        <location filename="../../ui/charts/compare.py" line="110"/>
        <source>A station is listed twice</source>
        <translation>站点重复</translation>
    </message>
    <message>
        <location filename="../../ui/charts/compare.py" line="113"/>
        <source>These stations measure no parameter in common</source>
        <translation>这些站点没有共同的监测参数</translation>
    </message>
    <message>
        <location filename="../../ui/charts/compare.py" line="118"/>
        <source>Not every station measures %1</source>
        <translation>并非所有站点都监测 %1</translation>
    </message>
    <message>
        <location filename="../../ui/charts/compare.py" line="203"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../ui/charts/compare.py" line="248"/>
        <source>Could not load %1</source>
        <translation>无法加载 %1</translation>
    </message>
</context>
<context>
    <name>IndicatorStrip</name>
    <message>
        <location filename="../../ui/wall.py" line="126"/>
        <source>Indicators: computing…</source>
        <translation>指标计算中…</translation>
    </message>
    <message>
        <location filename="../../ui/wall.py" line="141"/>
        <source>As of %1; %2 series missing</source>
        <translation>截至 %1；缺 %2 个序列</translation>
    </message>
    <message>
        <location filename="../../ui/wall.py" line="147"/>
        <source>As of %1</source>
        <translation>截至 %1</translation>
    </message>
    <message>
        <location filename="../../ui/wall.py" line="151"/>
        <source>Indicators unavailable: %1</source>
        <translation>指标暂不可用：%1</translation>
    </message>
</context>
<context>
    <name>IndicatorTile</name>
    <message>
        <location filename="../../ui/wall.py" line="103"/>
        <source>on target</source>
        <translation>达标</translation>
    </message>
    <message>
        <location filename="../../ui/wall.py" line="104"/>
        <source>watch</source>
        <translation>需关注</translation>
    </message>
    <message>
        <location filename="../../ui/wall.py" line="105"/>
        <source>off target</source>
        <translation>未达标</translation>
    </message>
    <message>
        <location filename="../../ui/wall.py" line="106"/>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <location filename="../../ui/map/view.py" line="219"/>
        <source>Quality problem</source>
        <translation>环境质量问题</translation>
    </message>
    <message>
        <location filename="../../ui/map/view.py" line="220"/>
        <source>Violation case</source>
        <translation>环境违法案件</translation>
    </message>
    <message>
        <location filename="../../ui/map/view.py" line="221"/>
        <source>Emergency</source>
        <translation>突发环境事件</translation>
    </message>
    <message>
        <location filename="../../ui/map/view.py" line="222"/>
        <source>Petition</source>
        <translation>环境信访</translation>
    </message>
    <message>
        <location filename="../../ui/map/view.py" line="291"/>
        <source>Data service unreachable since %1: the map shows the last data received</source>
        <translation>数据服务自 %1 起中断：地图显示的是中断前最后收到的数据</translation>
    </message>
    <message>
        <location filename="../../ui/map/view.py" line="295"/>
        <source>Basemap not loaded: %1</source>
        <translation>底图未能加载：%1</translation>
    </message>
</context>
<context>
    <name>MonitoringWall</name>
    <message>
        <location filename="../../ui/wall.py" line="187"/>
        <source>Trend</source>
        <translation>趋势</translation>
    </message>
    <message>
        <location filename="../../ui/wall.py" line="188"/>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <location filename="../../ui/wall.py" line="337"/>
        <source>Data service degraded: %1</source>
        <translation>数据服务异常：%1</translation>
    </message>
    <message>
        <location filename="../../ui/wall.py" line="339"/>
        <source>Connecting to the data service…</source>
        <translation>正在连接数据服务…</translation>
    </message>
    <message>
        <location filename="../../ui/wall.py" line="352"/>
        <source>Data service unreachable since %1</source>
        <translation>数据服务自 %1 起中断</translation>
    </message>
    <message>
        <location filename="../../ui/wall.py" line="461"/>
        <source>Monitoring wall</source>
        <translation>监控大屏</translation>
    </message>
</context>
<context>
    <name>NetworkModel</name>
    <message>
        <location filename="../../ui/charts/overview.py" line="121"/>
        <source>#</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../../ui/charts/overview.py" line="122"/>
        <source>Station</source>
        <translation>站点</translation>
    </message>
    <message>
        <location filename="../../ui/charts/overview.py" line="123"/>
        <source>District</source>
        <translation>辖区</translation>
    </message>
    <message>
        <location filename="../../ui/charts/overview.py" line="124"/>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../ui/charts/overview.py" line="125"/>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../ui/charts/overview.py" line="126"/>
        <source>Trend</source>
        <translation>趋势</translation>
    </message>
    <message>
        <location filename="../../ui/charts/overview.py" line="127"/>
        <source>Updated</source>
        <translation>更新</translation>
    </message>
</context>
<context>
    <name>NetworkOverview</name>
    <message>
        <location filename="../../ui/charts/overview.py" line="427"/>
        <source>All districts</source>
        <translation>全部辖区</translation>
    </message>
    <message>
        <location filename="../../ui/charts/overview.py" line="436"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../ui/charts/overview.py" line="451"/>
        <source>Air: national and provincial</source>
        <translation>空气：国控和省控</translation>
    </message>
    <message>
        <location filename="../../ui/charts/overview.py" line="452"/>
        <source>Air: national</source>
        <translation>空气：国控</translation>
    </message>
    <message>
        <location filename="../../ui/charts/overview.py" line="453"/>
        <source>Air: provincial</source>
        <translation>空气：省控</translation>
    </message>
    <message>
        <location filename="../../ui/charts/overview.py" line="454"/>
        <source>Air: township</source>
        <translation>空气：乡镇（街道）</translation>
    </message>
    <message>
        <location filename="../../ui/charts/overview.py" line="455"/>
        <source>Air: hotspot grid</source>
        <translation>空气：热点网格</translation>
    </message>
    <message>
        <location filename="../../ui/charts/overview.py" line="456"/>
        <source>Air: all stations</source>
        <translation>空气：全部站点</translation>
    </message>
    <message>
        <location filename="../../ui/charts/overview.py" line="457"/>
        <source>Water: national sections</source>
        <translation>水质：国考断面</translation>
    </message>
    <message>
        <location filename="../../ui/charts/overview.py" line="458"/>
        <source>Water: provincial sections</source>
        <translation>水质：省考断面</translation>
    </message>
    <message>
        <location filename="../../ui/charts/overview.py" line="459"/>
        <source>Water: boundary sections</source>
        <translation>水质：交界断面</translation>
    </message>
    <message>
        <location filename="../../ui/charts/overview.py" line="460"/>
        <source>Water: all sections</source>
        <translation>水质：全部断面</translation>
    </message>
    <message>
        <location filename="../../ui/charts/overview.py" line="544"/>
        <source>%1 stations, %2 without valid data</source>
        <translation>%1 个站点，%2 个无有效数据</translation>
    </message>
</context>
<context>
    <name>OutageVeil</name>
    <message>
        <location filename="../../ui/charts/outage.py" line="46"/>
        <source>Data service unreachable since %1 — showing the last data received</source>
        <translation>数据服务自 %1 起中断 —— 显示的是中断前最后收到的数据</translation>
    </message>
</context>
<context>
    <name>TrendChart</name>
    <message>
        <location filename="../../ui/charts/trend.py" line="114"/>
        <source>No station selected</source>
        <translation>未选择站点</translation>
    </message>
    <message>
        <location filename="../../ui/charts/trend.py" line="128"/>
        <source>6 h</source>
        <translation>6 小时</translation>
    </message>
    <message>
        <location filename="../../ui/charts/trend.py" line="129"/>
        <source>24 h</source>
        <translation>24 小时</translation>
    </message>
    <message>
        <location filename="../../ui/charts/trend.py" line="130"/>
        <source>7 d</source>
        <translation>7 天</translation>
    </message>
    <message>
        <location filename="../../ui/charts/trend.py" line="131"/>
        <source>30 d</source>
        <translation>30 天</translation>
    </message>
    <message>
        <location filename="../../ui/charts/trend.py" line="132"/>
        <source>1 year</source>
        <translation>1 年</translation>
    </message>
    <message>
        <location filename="../../ui/charts/trend.py" line="149"/>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <location filename="../../ui/charts/trend.py" line="158"/>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../ui/charts/trend.py" line="162"/>
        <location filename="../../ui/charts/trend.py" line="501"/>
        <source>Export PNG</source>
        <translation>导出 PNG</translation>
    </message>
    <message>
        <location filename="../../ui/charts/trend.py" line="164"/>
        <location filename="../../ui/charts/trend.py" line="511"/>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <location filename="../../ui/charts/trend.py" line="236"/>
        <source>At most %1 parameters at once</source>
        <translation>最多同时显示 %1 个参数</translation>
    </message>
    <message>
        <location filename="../../ui/charts/trend.py" line="306"/>
        <source>The end of the range must be after its start</source>
        <translation>结束时间必须晚于开始时间</translation>
    </message>
    <message>
        <location filename="../../ui/charts/trend.py" line="308"/>
        <source>A custom range may span at most three years</source>
        <translation>自定义时段最长三年</translation>
    </message>
    <message>
        <location filename="../../ui/charts/trend.py" line="343"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../ui/charts/trend.py" line="391"/>
        <source>Could not load %1</source>
        <translation>无法加载 %1</translation>
    </message>
    <message>
        <location filename="../../ui/charts/trend.py" line="396"/>
        <source>%1 – %2 (Beijing time), %3 values</source>
        <translation>%1 – %2（北京时间），%3</translation>
    </message>
    <message>
        <location filename="../../ui/charts/trend.py" line="401"/>
        <source>raw</source>
        <translation>原始值</translation>
    </message>
    <message>
        <location filename="../../ui/charts/trend.py" line="401"/>
        <source>hourly</source>
        <translation>小时均值</translation>
    </message>
    <message>
        <location filename="../../ui/charts/trend.py" line="401"/>
        <source>daily</source>
        <translation>日均值</translation>
    </message>
    <message>
        <location filename="../../ui/charts/trend.py" line="459"/>
        <location filename="../../ui/charts/trend.py" line="517"/>
        <source>Could not write %1</source>
        <translation>无法写入 %1</translation>
    </message>
</context>
</TS>
