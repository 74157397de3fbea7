<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AreaTool</name>
    <message>
        <location filename="../../../ui/wall/map/area_tool.py" line="201"/>
        <location filename="../../../ui/wall/map/area_tool.py" line="310"/>
        <source>radius {0} km</source>
        <translation>半径 {0} 公里</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/area_tool.py" line="202"/>
        <location filename="../../../ui/wall/map/area_tool.py" line="324"/>
        <source>{0} points</source>
        <translation>{0} 个顶点</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/area_tool.py" line="227"/>
        <source>Affected area</source>
        <translation>影响范围</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/area_tool.py" line="234"/>
        <source>Drawn, not saved</source>
        <translation>已绘制，未保存</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/area_tool.py" line="257"/>
        <source>Circle: press at the centre and drag to the radius. Esc cancels.</source>
        <translation>圆形：在中心点按下鼠标，拖到半径处松开。Esc 取消。</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/area_tool.py" line="261"/>
        <source>Polygon: click each corner; double-click or Enter finishes (three corners at least); Backspace removes the last corner; Esc cancels.</source>
        <translation>多边形：逐个点击顶点；双击或按 Enter 完成（至少三个顶点）；Backspace 删除最后一个顶点；Esc 取消。</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/area_tool.py" line="344"/>
        <source>A polygon needs at least three corners: keep clicking, or Esc.</source>
        <translation>多边形至少需要三个顶点：请继续点击，或按 Esc 取消。</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/area_tool.py" line="418"/>
        <source>Drag from the centre to the radius before releasing. Esc cancels.</source>
        <translation>请从中心点拖到半径处再松开。Esc 取消。</translation>
    </message>
</context>
<context>
    <name>CompareChart</name>
    <message>
        <location filename="../../../ui/wall/charts/compare.py" line="75"/>
        <source>Add a station: type its name…</source>
        <translation>添加站点：输入名称…</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/compare.py" line="84"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/compare.py" line="97"/>
        <source>Add stations first</source>
        <translation>请先添加站点</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/compare.py" line="100"/>
        <source>Parameter</source>
        <translation>参数</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/compare.py" line="104"/>
        <source>6 h</source>
        <translation>6 小时</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/compare.py" line="105"/>
        <source>24 h</source>
        <translation>24 小时</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/compare.py" line="106"/>
        <source>7 d</source>
        <translation>7 天</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/compare.py" line="107"/>
        <source>30 d</source>
        <translation>30 天</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/compare.py" line="108"/>
        <source>1 year</source>
        <translation>1 年</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/compare.py" line="136"/>
        <source>At most %1 stations can be compared</source>
        <translation>最多对比 %1 个站点</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/compare.py" line="140"/>
        <source>A station is listed twice</source>
        <translation>站点重复</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/compare.py" line="143"/>
        <source>These stations measure no parameter in common</source>
        <translation>这些站点没有共同的监测参数</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/compare.py" line="148"/>
        <source>Not every station measures %1</source>
        <translation>并非所有站点都监测 %1</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/compare.py" line="177"/>
        <source>No station named “%1”</source>
        <translation>没有名为“%1”的站点</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/compare.py" line="195"/>
        <source>Remove %1 from the comparison</source>
        <translation>从对比中移除%1</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/compare.py" line="282"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/compare.py" line="330"/>
        <source>Could not load %1</source>
        <translation>无法加载 %1</translation>
    </message>
</context>
<context>
    <name>IndicatorStrip</name>
    <message>
        <location filename="../../../ui/wall/monitoring_wall.py" line="190"/>
        <source>Indicators: computing…</source>
        <translation>指标计算中…</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/monitoring_wall.py" line="241"/>
        <source>As of %1; %2 series missing</source>
        <translation>截至 %1；缺 %2 个序列</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/monitoring_wall.py" line="247"/>
        <source>As of %1</source>
        <translation>截至 %1</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/monitoring_wall.py" line="251"/>
        <source>Indicators unavailable: %1</source>
        <translation>指标暂不可用：%1</translation>
    </message>
</context>
<context>
    <name>IndicatorTile</name>
    <message>
        <location filename="../../../ui/wall/monitoring_wall.py" line="157"/>
        <source>on target</source>
        <translation>达标</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/monitoring_wall.py" line="158"/>
        <source>watch</source>
        <translation>需关注</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/monitoring_wall.py" line="159"/>
        <source>off target</source>
        <translation>未达标</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/monitoring_wall.py" line="160"/>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
</context>
<context>
    <name>MapLegend</name>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="73"/>
        <source>Legend</source>
        <translation>图例</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="76"/>
        <source>Show or hide the map legend</source>
        <translation>显示或隐藏地图图例</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="114"/>
        <source>National air station</source>
        <translation>国控空气站</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="115"/>
        <source>Provincial air station</source>
        <translation>省控空气站</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="116"/>
        <source>Township air station</source>
        <translation>乡镇（街道）空气站</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="117"/>
        <source>Hotspot grid point</source>
        <translation>热点网格点</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="118"/>
        <source>National water section</source>
        <translation>国考断面</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="119"/>
        <source>Provincial water section</source>
        <translation>省考断面</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="120"/>
        <source>District-boundary section</source>
        <translation>区界断面</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="123"/>
        <source>Air stations grouped: count, worst AQI color</source>
        <translation>空气站聚合：数字为站数，颜色为最差AQI</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="124"/>
        <source>Boundary sections grouped: count, worst class color</source>
        <translation>区界断面聚合：数字为断面数，颜色为最差水质类别</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="127"/>
        <source>Quality problem</source>
        <translation>环境质量问题</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="128"/>
        <source>Violation case</source>
        <translation>环境违法案件</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="129"/>
        <source>Emergency</source>
        <translation>突发环境事件</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="130"/>
        <source>Petition</source>
        <translation>环境信访</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="133"/>
        <source>P1 critical</source>
        <translation>P1 特急</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="134"/>
        <source>P2 urgent</source>
        <translation>P2 紧急</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="135"/>
        <source>P3 normal</source>
        <translation>P3 一般</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="136"/>
        <source>P4 low</source>
        <translation>P4 较低</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="145"/>
        <source>Stations (label: AQI or class)</source>
        <translation>站点（标注：AQI或水质类别）</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="165"/>
        <source>Air: AQI (HJ 633)</source>
        <translation>空气：AQI（HJ 633）</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="171"/>
        <source>No data or data service down</source>
        <translation>无数据或数据服务中断</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="172"/>
        <source>Water: class (GB 3838)</source>
        <translation>水质类别（GB 3838）</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/legend.py" line="176"/>
        <source>Open cases: kind, priority</source>
        <translation>在办事项：类型、优先级</translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <location filename="../../../ui/wall/map/view.py" line="290"/>
        <source>%1 boundary sections %2</source>
        <translation>%2 区界断面 %1 个</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/view.py" line="292"/>
        <source>%1 air stations %2</source>
        <translation>%2 空气站 %1 个</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/view.py" line="340"/>
        <source>Quality problem</source>
        <translation>环境质量问题</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/view.py" line="341"/>
        <source>Violation case</source>
        <translation>环境违法案件</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/view.py" line="342"/>
        <source>Emergency</source>
        <translation>突发环境事件</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/view.py" line="343"/>
        <source>Petition</source>
        <translation>环境信访</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/view.py" line="415"/>
        <source>Data service unreachable since %1: the map shows the last data received</source>
        <translation>数据服务自 %1 起中断：地图显示的是中断前最后收到的数据</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/map/view.py" line="419"/>
        <source>Basemap not loaded: %1</source>
        <translation>底图未能加载：%1</translation>
    </message>
</context>
<context>
    <name>MonitoringWall</name>
    <message>
        <location filename="../../../ui/wall/monitoring_wall.py" line="287"/>
        <source>Trend</source>
        <translation>趋势</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/monitoring_wall.py" line="288"/>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/monitoring_wall.py" line="482"/>
        <source>Data service degraded: %1</source>
        <translation>数据服务异常：%1</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/monitoring_wall.py" line="484"/>
        <source>Connecting to the data service…</source>
        <translation>正在连接数据服务…</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/monitoring_wall.py" line="498"/>
        <source>Data service unreachable since %1</source>
        <translation>数据服务自 %1 起中断</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/monitoring_wall.py" line="627"/>
        <source>Monitoring wall</source>
        <translation>监控大屏</translation>
    </message>
</context>
<context>
    <name>NetworkModel</name>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="152"/>
        <source>#</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="153"/>
        <source>Station</source>
        <translation>站点</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="154"/>
        <source>District</source>
        <translation>辖区</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="155"/>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="156"/>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="157"/>
        <source>Trend</source>
        <translation>趋势</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="158"/>
        <source>Updated</source>
        <translation>更新</translation>
    </message>
</context>
<context>
    <name>NetworkOverview</name>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="446"/>
        <source>All districts</source>
        <translation>全部辖区</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="455"/>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="462"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="495"/>
        <source>Air: national and provincial</source>
        <translation>空气：国控和省控</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="496"/>
        <source>Air: national</source>
        <translation>空气：国控</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="497"/>
        <source>Air: provincial</source>
        <translation>空气：省控</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="498"/>
        <source>Air: township</source>
        <translation>空气：乡镇（街道）</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="499"/>
        <source>Air: hotspot grid</source>
        <translation>空气：热点网格</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="500"/>
        <source>Air: all stations</source>
        <translation>空气：全部站点</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="501"/>
        <source>Water: national sections</source>
        <translation>水质：国考断面</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="502"/>
        <source>Water: provincial sections</source>
        <translation>水质：省考断面</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="503"/>
        <source>Water: boundary sections</source>
        <translation>水质：交界断面</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="504"/>
        <source>Water: all sections</source>
        <translation>水质：全部断面</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="585"/>
        <source>Select two or more stations (Ctrl+click or Shift+click) to compare them</source>
        <translation>选择两个或更多站点（Ctrl+单击或Shift+单击）后对比</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="587"/>
        <source>At most %1 stations can be compared</source>
        <translation>最多可对比 %1 个站点</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="589"/>
        <source>Compare the %1 selected stations</source>
        <translation>对比所选的 %1 个站点</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/overview.py" line="612"/>
        <source>%1 stations, %2 without valid data</source>
        <translation>%1 个站点，%2 个无有效数据</translation>
    </message>
</context>
<context>
    <name>OutageVeil</name>
    <message>
        <location filename="../../../ui/wall/charts/outage.py" line="45"/>
        <source>Data service unreachable since %1 — showing the last data received</source>
        <translation>数据服务自 %1 起中断 —— 显示的是中断前最后收到的数据</translation>
    </message>
</context>
<context>
    <name>Parameters</name>
    <message>
        <location filename="../../../ui/wall/charts/parameters.py" line="21"/>
        <source>PM2.5</source>
        <translation>PM2.5</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/parameters.py" line="22"/>
        <source>PM10</source>
        <translation>PM10</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/parameters.py" line="23"/>
        <source>SO2</source>
        <translation>SO2</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/parameters.py" line="24"/>
        <source>NO2</source>
        <translation>NO2</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/parameters.py" line="25"/>
        <source>CO</source>
        <translation>CO</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/parameters.py" line="26"/>
        <source>O3</source>
        <translation>O3</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/parameters.py" line="27"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/parameters.py" line="28"/>
        <source>Humidity</source>
        <translation>湿度</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/parameters.py" line="29"/>
        <source>Wind speed</source>
        <translation>风速</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/parameters.py" line="30"/>
        <source>Wind direction</source>
        <translation>风向</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/parameters.py" line="31"/>
        <source>pH</source>
        <translation>pH</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/parameters.py" line="32"/>
        <source>Dissolved oxygen</source>
        <translation>溶解氧</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/parameters.py" line="33"/>
        <source>Water temperature</source>
        <translation>水温</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/parameters.py" line="34"/>
        <source>Conductivity</source>
        <translation>电导率</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/parameters.py" line="35"/>
        <source>Permanganate index</source>
        <translation>高锰酸盐指数</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/parameters.py" line="36"/>
        <source>COD</source>
        <translation>化学需氧量</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/parameters.py" line="37"/>
        <source>Ammonia nitrogen</source>
        <translation>氨氮</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/parameters.py" line="38"/>
        <source>Total phosphorus</source>
        <translation>总磷</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/parameters.py" line="39"/>
        <source>Total nitrogen</source>
        <translation>总氮</translation>
    </message>
</context>
<context>
    <name>TrendChart</name>
    <message>
        <location filename="../../../ui/wall/charts/trend.py" line="117"/>
        <source>No station selected</source>
        <translation>未选择站点</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/trend.py" line="154"/>
        <source>6 h</source>
        <translation>6 小时</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/trend.py" line="155"/>
        <source>24 h</source>
        <translation>24 小时</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/trend.py" line="156"/>
        <source>7 d</source>
        <translation>7 天</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/trend.py" line="157"/>
        <source>30 d</source>
        <translation>30 天</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/trend.py" line="158"/>
        <source>1 year</source>
        <translation>1 年</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/trend.py" line="175"/>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/trend.py" line="187"/>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/trend.py" line="191"/>
        <location filename="../../../ui/wall/charts/trend.py" line="517"/>
        <source>Export PNG</source>
        <translation>导出 PNG</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/trend.py" line="193"/>
        <location filename="../../../ui/wall/charts/trend.py" line="535"/>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/trend.py" line="247"/>
        <source>At most %1 parameters at once</source>
        <translation>最多同时显示 %1 个参数</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/trend.py" line="317"/>
        <source>The end of the range must be after its start</source>
        <translation>结束时间必须晚于开始时间</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/trend.py" line="319"/>
        <source>A custom range may span at most three years</source>
        <translation>自定义时段最长三年</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/trend.py" line="356"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/trend.py" line="406"/>
        <source>Could not load %1</source>
        <translation>无法加载 %1</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/trend.py" line="411"/>
        <source>%1 – %2 (Beijing time), %3 values</source>
        <translation>%1 – %2（北京时间），%3</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/trend.py" line="416"/>
        <source>raw</source>
        <translation>原始值</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/trend.py" line="416"/>
        <source>hourly</source>
        <translation>小时均值</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/trend.py" line="416"/>
        <source>daily</source>
        <translation>日均值</translation>
    </message>
    <message>
        <location filename="../../../ui/wall/charts/trend.py" line="474"/>
        <location filename="../../../ui/wall/charts/trend.py" line="549"/>
        <source>Could not write %1</source>
        <translation>无法写入 %1</translation>
    </message>
</context>
</TS>
